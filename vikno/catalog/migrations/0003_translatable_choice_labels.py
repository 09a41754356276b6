# The labels of the choices became English msgids translated through the catalog (uk: the former
# Ukrainian labels). Only the state Django keeps of the choices changes; the database does not.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_search_vocabulary'),
    ]

    operations = [
        migrations.AlterField(
            model_name='feerule',
            name='base',
            field=models.CharField(choices=[('pm_able_bodied_jan1', 'Subsistence minimum for able-bodied persons on 1 January')], default='pm_able_bodied_jan1', max_length=30),
        ),
        migrations.AlterField(
            model_name='feerule',
            name='rounding',
            field=models.CharField(choices=[('nearest_10_uah', 'to the nearest 10 UAH'), ('none_kopecks', 'no rounding (with kopecks)')], max_length=20),
        ),
        migrations.AlterField(
            model_name='lifesituation',
            name='kind',
            field=models.CharField(choices=[('life', 'Life situation'), ('business', 'Business situation')], default='life', max_length=10),
        ),
        migrations.AlterField(
            model_name='serviceversion',
            name='fee_kind',
            field=models.CharField(choices=[('free', 'Free of charge'), ('fixed', 'Fixed amount'), ('rule', 'By a formula from the subsistence minimum'), ('variable', 'Depends on the circumstances')], default='free', max_length=10),
        ),
        migrations.AlterField(
            model_name='serviceversion',
            name='provider_level',
            field=models.CharField(blank=True, choices=[('state', 'State body'), ('local', 'Local self-government body')], max_length=10),
        ),
        migrations.AlterField(
            model_name='serviceversion',
            name='term_unit',
            field=models.CharField(choices=[('hours', 'hours'), ('working_days', 'working days'), ('calendar_days', 'calendar days')], max_length=20),
        ),
        migrations.AlterField(
            model_name='techstep',
            name='action_type',
            field=models.CharField(choices=[('В', 'Performs'), ('У', 'Takes part'), ('П', 'Agrees'), ('З', 'Approves')], max_length=1),
        ),
        migrations.AlterField(
            model_name='techstep',
            name='role',
            field=models.CharField(choices=[('administrator', 'Center administrator'), ('officer', 'Provider officer'), ('center_head', 'Center head'), ('provider_head', 'Provider head')], max_length=20),
        ),
        migrations.AlterField(
            model_name='techstep',
            name='term_unit',
            field=models.CharField(blank=True, choices=[('hours', 'hours'), ('working_days', 'working days'), ('calendar_days', 'calendar days')], max_length=20),
        ),
    ]
