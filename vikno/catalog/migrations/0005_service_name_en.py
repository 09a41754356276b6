"""The English name of the version in force, copied onto the service like ``name_uk``."""

from django.db import migrations, models

COPY_FROM_CURRENT_VERSION = """
UPDATE catalog_service AS s SET name_en = v.name_en
FROM catalog_serviceversion AS v
WHERE v.id = s.current_version_id AND v.name_en <> ''
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_service_demand"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="name_en",
            field=models.CharField(
                blank=True, default="", help_text="English name of the version in force (copy).", max_length=500
            ),
            preserve_default=False,
        ),
        migrations.RunSQL(COPY_FROM_CURRENT_VERSION, migrations.RunSQL.noop),
    ]
