"""Which HopThu folder a source folder fills (RFC 6154 special use, common names, paths)."""
from mailcore.migration.folder_map import FolderPlan, plan_folders, target_path


def listing(*entries, delimiter=b"."):
    return [(tuple(flags), delimiter, name) for flags, name in entries]


def test_rfc6154_special_use_attribute_decides_not_the_name():
    plans = plan_folders(listing(((b"\\HasNoChildren", b"\\Sent"), "Sent Messages"),
                                 ((b"\\Trash",), "Bin"), ((), "INBOX"), ((), "Sent")), has_special_use=True)
    assert plans[0] == FolderPlan("INBOX", target_name="INBOX")
    assert FolderPlan("Sent Messages", special_use="\\Sent") in plans
    assert FolderPlan("Bin", special_use="\\Trash") in plans
    # With SPECIAL-USE, a folder merely named Sent is an ordinary folder.
    assert FolderPlan("Sent", target_name="Sent") in plans


def test_common_names_map_special_folders_when_the_server_has_no_special_use():
    plans = plan_folders(listing(((), "INBOX"), ((), "Sent Items"), ((), "Deleted Items"),
                                 ((), "Junk E-mail"), ((), "Drafts"), ((), "Archive")), has_special_use=False)
    uses = {plan.source_name: plan.special_use for plan in plans}
    assert uses == {"INBOX": "", "Sent Items": "\\Sent", "Deleted Items": "\\Trash",
                    "Junk E-mail": "\\Junk", "Drafts": "\\Drafts", "Archive": "\\Archive"}


def test_each_special_use_is_given_once():
    plans = plan_folders(listing(((), "Sent"), ((), "Sent Items")), has_special_use=False)
    assert FolderPlan("Sent", special_use="\\Sent") in plans
    assert FolderPlan("Sent Items", target_name="Sent Items") in plans


def test_rfc2342_personal_prefix_is_removed_and_delimiter_becomes_slash():
    plans = plan_folders(listing(((), "INBOX"), ((), "INBOX.Sent"), ((), "INBOX.Work.2026")),
                         has_special_use=False, personal_prefix="INBOX.")
    assert FolderPlan("INBOX.Sent", special_use="\\Sent") in plans
    assert FolderPlan("INBOX.Work.2026", target_name="Work/2026") in plans
    assert plans[0].target_name == "INBOX"


def test_rfc6154_virtual_and_unselectable_folders_are_not_copied():
    plans = plan_folders(listing(((b"\\All",), "[Gmail]/All Mail"), ((b"\\Flagged",), "[Gmail]/Starred"),
                                 ((b"\\Noselect",), "[Gmail]"), ((), "INBOX"), delimiter=b"/"),
                         has_special_use=True)
    assert [plan.source_name for plan in plans] == ["INBOX"]


def test_a_slash_inside_a_level_does_not_make_a_new_level():
    assert target_path("Reports 1/2", ".") == "Reports 1-2"
    assert target_path("a.b", ".") == "a/b"
    assert target_path("inbox", "/") == "INBOX"
