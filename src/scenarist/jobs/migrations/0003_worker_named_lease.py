from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0002_enqueued_at_reaper_lease'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='worker',
            field=models.CharField(blank=True, default='', max_length=200),
        ),
        migrations.RenameModel(old_name='ReaperLease', new_name='Lease'),
        migrations.AlterField(
            model_name='lease',
            name='name',
            field=models.CharField(max_length=200, unique=True),
        ),
    ]
