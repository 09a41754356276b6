# Marks written before the cases kept their roll-ups by deltas stood for case changes too: they become full
# recounts (the column is added with the default true for the rows already there), new marks are not.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_case_deltas"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollupdirty",
            name="recount_all",
            field=models.BooleanField(db_default=True),
        ),
        migrations.AlterField(
            model_name="rollupdirty",
            name="recount_all",
            field=models.BooleanField(
                db_default=False,
                help_text="Recount every metric of the day, the cases' too (marks written before the cases had deltas).",
            ),
        ),
    ]
