# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('administrator', 'Center administrator'), ('center_head', 'Center head'), ('officer', 'Provider officer'), ('oblast_monitor', 'Oblast monitoring'), ('sysadmin', 'System administrator')], default='administrator', max_length=20),
        ),
    ]
