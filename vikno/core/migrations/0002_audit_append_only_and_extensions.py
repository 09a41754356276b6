from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# Row triggers refuse UPDATE and DELETE. TRUNCATE stays possible for the table owner only (test
# suites flush tables); the application role in production is not the owner (docs/operations.md).

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION vikno_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
  BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION vikno_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS vikno_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(APPEND_ONLY, DROP),
    ]
