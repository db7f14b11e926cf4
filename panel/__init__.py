"""The admin control panel: views, forms and templates over mailcore."""
