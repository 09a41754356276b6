# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assessment',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('reviewed', 'Accepted'), ('returned', 'Returned for revision')], default='draft', max_length=10),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='direction',
            field=models.CharField(choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], default='higher', max_length=10),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='method',
            field=models.CharField(choices=[('computed', 'Computed by the system'), ('manual', 'Entered manually')], default='computed', max_length=10),
        ),
        migrations.AlterField(
            model_name='indicatorvalue',
            name='source',
            field=models.CharField(choices=[('computed', 'Computed'), ('manual', 'Entered by hand')], max_length=10),
        ),
        migrations.AlterField(
            model_name='question',
            name='kind',
            field=models.CharField(choices=[('yes_no', 'Yes / no'), ('number', 'Number on a scale'), ('choice', 'One option with points')], max_length=10),
        ),
        migrations.AlterField(
            model_name='questionnaire',
            name='period_kind',
            field=models.CharField(choices=[('quarter', 'Quarter'), ('half_year', 'Half-year'), ('year', 'Year')], default='quarter', max_length=10),
        ),
        migrations.AlterField(
            model_name='section',
            name='kind',
            field=models.CharField(choices=[('accessibility', 'Accessibility (checklist)'), ('registers', 'Access to registers'), ('staff', 'Staff'), ('service_list', 'Completeness of the service list'), ('other', 'Other')], max_length=20),
        ),
    ]
