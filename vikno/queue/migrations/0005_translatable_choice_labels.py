# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('queue', '0004_fk_indexes_served_by_composites'),
    ]

    operations = [
        migrations.AlterField(
            model_name='booking',
            name='status',
            field=models.CharField(choices=[('held', 'Held'), ('confirmed', 'Confirmed'), ('cancelled', 'Cancelled'), ('checked_in', 'Checked in'), ('no_show', 'No-show'), ('expired', 'Hold expired')], default='held', max_length=12),
        ),
        migrations.AlterField(
            model_name='rating',
            name='channel',
            field=models.CharField(choices=[('qr', 'Ticket QR code'), ('sms', 'Link in SMS'), ('tablet', 'Tablet at the window')], default='qr', max_length=10),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='priority',
            field=models.CharField(blank=True, choices=[('', 'No priority'), ('disability', 'Person with a disability'), ('veteran', 'Veteran or defender'), ('pregnant', 'Pregnant woman'), ('infant', 'Parent with a child under 3')], default='', max_length=12),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='source',
            field=models.CharField(choices=[('kiosk', 'Kiosk'), ('staff', 'Administrator'), ('booking', 'Advance booking'), ('online', 'Online')], default='kiosk', max_length=10),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='status',
            field=models.CharField(choices=[('waiting', 'Waiting'), ('called', 'Called'), ('serving', 'Being served'), ('done', 'Served'), ('no_show', 'No-show'), ('parked', 'Parked'), ('cancelled', 'Cancelled')], default='waiting', max_length=10),
        ),
        migrations.AlterField(
            model_name='visitevent',
            name='kind',
            field=models.CharField(choices=[('issued', 'Ticket issued'), ('called', 'Called'), ('recalled', 'Called again'), ('no_show', 'No-show'), ('started', 'Service started'), ('finished', 'Finished'), ('transferred', 'Transferred'), ('parked', 'Parked'), ('returned', 'Returned to the queue'), ('cancelled', 'Cancelled')], max_length=12),
        ),
    ]
