# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_settlement_hromada_optional'),
    ]

    operations = [
        migrations.AlterField(
            model_name='office',
            name='kind',
            field=models.CharField(choices=[('main', 'Main office'), ('branch', 'Branch office'), ('remote', 'Remote workplace'), ('mobile', 'Mobile center')], max_length=10),
        ),
        migrations.AlterField(
            model_name='provider',
            name='kind',
            field=models.CharField(choices=[('state_territorial', 'Territorial body of a central executive authority'), ('council_department', 'Structural unit of the council'), ('state_registrar', 'State registrar')], max_length=20),
        ),
        migrations.AlterField(
            model_name='region',
            name='category',
            field=models.CharField(choices=[('O', 'Oblast / AR of Crimea'), ('K', 'City with special status')], max_length=1),
        ),
        migrations.AlterField(
            model_name='scheduleexception',
            name='kind',
            field=models.CharField(choices=[('closed', 'Closed'), ('shortened', 'Shortened day'), ('special', 'Special hours')], max_length=10),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='category',
            field=models.CharField(choices=[('M', 'city'), ('X', 'settlement'), ('C', 'village'), ('B', 'city district')], max_length=1),
        ),
    ]
