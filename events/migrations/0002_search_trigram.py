from django.db import migrations

from core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [trigram_index("events_serviceday", "serviceday_search_trgm")]
