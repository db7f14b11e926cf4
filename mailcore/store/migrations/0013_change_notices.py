# Issue 20: on PostgreSQL, every change of a folder row (an append or expunge moves UIDNEXT
# and HIGHESTMODSEQ, a flag change HIGHESTMODSEQ; create, rename, delete) and of the
# subscription list sends NOTIFY hopthu_store 'account folder' when its transaction
# commits, which wakes IDLE and NOTIFY sessions on every node at once (store/notices.py).
# A trigger rather than calls in the code: raw-SQL appends are covered too, and a notice
# never announces a rolled-back change. Nothing on SQLite (one node polls, as before).

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION hopthu_store_notice() RETURNS trigger AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    IF TG_TABLE_NAME = 'store_folder' THEN
        PERFORM pg_notify('hopthu_store', changed.account_id::text || ' ' || changed.id::text);
    ELSE
        PERFORM pg_notify('hopthu_store', changed.account_id::text || ' 0');
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER store_folder_notice AFTER INSERT OR UPDATE OR DELETE ON store_folder
    FOR EACH ROW EXECUTE FUNCTION hopthu_store_notice();
CREATE TRIGGER store_subscription_notice AFTER INSERT OR UPDATE OR DELETE ON store_subscription
    FOR EACH ROW EXECUTE FUNCTION hopthu_store_notice();
"""

DROP = """
DROP TRIGGER IF EXISTS store_subscription_notice ON store_subscription;
DROP TRIGGER IF EXISTS store_folder_notice ON store_folder;
DROP FUNCTION IF EXISTS hopthu_store_notice();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("store", "0012_recoverable_message")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
