"""Each article's uploaded lead image becomes a library Image (one per distinct file, with the
first article's alt text and credit) and the article's lead_picture. The per-use caption stays
on the article. A file that is no longer in storage has no picture to show: it is skipped, and
the article is left without one. The files stay where they are (articles/%Y/%m/)."""

from django.core.files.storage import default_storage
from django.db import migrations
from PIL import Image as PILImage


def dimensions(name):
    try:
        with default_storage.open(name, "rb") as file, PILImage.open(file) as picture:
            return picture.size, picture.mode in ("RGBA", "LA", "PA") or (
                picture.mode == "P" and "transparency" in picture.info
            )
    except Exception:  # missing, unreadable, not an image: nothing to show
        return None, False


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    db = schema_editor.connection.alias
    library = {}
    articles = Article.objects.using(db).exclude(lead_image="").order_by("pk")
    for article in articles.iterator():
        name = article.lead_image.name
        if name not in library:
            size, has_alpha = dimensions(name)
            if size is None:
                library[name] = None
                continue
            alt = " ".join(article.lead_image_alt.split()) or article.headline
            library[name] = Image.objects.using(db).create(
                file=name,
                width=size[0],
                height=size[1],
                has_alpha=has_alpha,
                alt=alt[:255],
                credit=article.lead_image_credit,
                uploaded_by_id=article.created_by_id,
            )
        if library[name] is not None:
            Article.objects.using(db).filter(pk=article.pk).update(lead_picture=library[name])


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    db = schema_editor.connection.alias
    articles = Article.objects.using(db).exclude(lead_picture=None).select_related("lead_picture")
    for article in articles:
        picture = article.lead_picture
        Article.objects.using(db).filter(pk=article.pk).update(
            lead_image=picture.file.name,
            lead_image_alt=picture.alt,
            lead_image_credit=picture.credit,
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_image_library")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
