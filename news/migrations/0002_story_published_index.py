from django.db import migrations, models

from core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at", "-id"],
                name="story_published_newest_idx",
            ),
        ),
        # /search/ matches whole tokens with LIKE '% term %': a trigram index answers it without a scan.
        trigram_index("news_story", "story_search_trgm"),
    ]
