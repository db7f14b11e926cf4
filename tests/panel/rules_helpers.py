"""Building the rule editor's POST data (its two formsets) for the panel's rules tests."""


def editor_post(name="Invoices", match="all", active=True, conditions=(), actions=(), editing=False):
    """The form as a browser posts it; editing: the rows are the rule's own (INITIAL_FORMS)."""
    data = {"name": name, "match": match}
    if active:
        data["active"] = "on"
    for prefix, rows in (("conditions", conditions), ("actions", actions)):
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)),
                     f"{prefix}-INITIAL_FORMS": str(len(rows) if editing else 0),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def resubmit(response) -> dict:
    """The editor's form data exactly as the page rendered it: what "Save" without changes posts."""
    editor = response.context["editor"]
    data = {}
    forms = (editor.form, editor.conditions.management_form, editor.actions.management_form,
             *editor.conditions, *editor.actions)
    for form in forms:
        for field in form:
            value = field.value()
            if field.widget_type == "checkbox":
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value
    return data
