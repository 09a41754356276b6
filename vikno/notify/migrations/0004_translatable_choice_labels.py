# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0003_fk_indexes_served_by_composites'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='channel',
            field=models.CharField(choices=[('sms', 'SMS'), ('email', 'Email')], max_length=5),
        ),
        migrations.AlterField(
            model_name='notification',
            name='event',
            field=models.CharField(choices=[('accepted', 'Application accepted'), ('clarification_needed', 'Clarification needed'), ('result_ready', 'Result ready'), ('refused', 'Refusal'), ('collect_reminder', 'Reminder to collect the result'), ('overdue_escalation', 'Term overdue (for staff)'), ('booking_confirmed', 'Queue booking confirmed'), ('booking_reminder', 'Booking reminder'), ('online_submitted', 'Online application submitted'), ('consultation_answer', 'Answer to a question')], max_length=40),
        ),
        migrations.AlterField(
            model_name='notification',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed to send'), ('cancelled', 'Cancelled')], default='queued', max_length=10),
        ),
        migrations.AlterField(
            model_name='optout',
            name='channel',
            field=models.CharField(choices=[('sms', 'SMS'), ('email', 'Email')], max_length=5),
        ),
    ]
