# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0002_fk_indexes_served_by_composites'),
    ]

    operations = [
        migrations.AlterField(
            model_name='payment',
            name='method',
            field=models.CharField(choices=[('pos', 'POS terminal'), ('bank', 'Bank / online payment'), ('exemption', 'Exemption from payment')], max_length=10),
        ),
    ]
