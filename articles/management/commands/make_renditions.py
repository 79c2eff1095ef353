"""Make every rendition of the library's pictures that is not made yet (articles/renditions.py).

Pages never need it in normal operation: each picture's renditions are made when it is saved.
Run it once after `migrate` has turned the old lead images into library pictures (migration
articles/0011), and after restoring MEDIA_ROOT without its renditions/ folder.
"""

from django.core.management.base import BaseCommand

from articles.images import Image
from articles.renditions import make_all


class Command(BaseCommand):
    help = "Make the missing renditions of every library picture."

    def handle(self, *args, **options):
        images = Image.objects.order_by("pk")
        total = images.count()
        for done, image in enumerate(images.iterator(), start=1):
            make_all(image)
            if options["verbosity"] > 1 or done == total:
                self.stdout.write(f"{done}/{total} pictures")
