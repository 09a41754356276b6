# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_fk_indexes_served_by_composites'),
    ]

    operations = [
        migrations.AlterField(
            model_name='applicant',
            name='kind',
            field=models.CharField(choices=[('person', 'Individual'), ('legal_entity', 'Legal entity')], default='person', max_length=15),
        ),
        migrations.AlterField(
            model_name='case',
            name='channel',
            field=models.CharField(choices=[('main', 'Main office of the center'), ('branch', 'Branch office'), ('remote', 'Remote workplace'), ('mobile', 'Mobile center'), ('online', 'Online')], max_length=10),
        ),
        migrations.AlterField(
            model_name='case',
            name='status',
            field=models.CharField(choices=[('submitted_online', 'Submitted online'), ('accepted', 'Accepted'), ('sent_to_provider', 'Sent to the provider'), ('in_progress', 'In progress'), ('needs_clarification', 'Needs clarification'), ('result_ready', 'Result ready at the center'), ('issued', 'Issued'), ('refused', 'Refused'), ('refusal_issued', 'Refusal issued'), ('withdrawn', 'Withdrawn by the applicant'), ('dismissed', 'Left without consideration')], default='accepted', max_length=24),
        ),
        migrations.AlterField(
            model_name='casetask',
            name='state',
            field=models.CharField(choices=[('pending', 'Pending'), ('active', 'In progress'), ('done', 'Done'), ('skipped', 'Skipped')], default='pending', max_length=10),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='channel',
            field=models.CharField(choices=[('in_person', 'In person'), ('phone', 'By phone'), ('email', 'By email'), ('online', 'Online')], default='in_person', max_length=10),
        ),
    ]
