from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organizations"

    def ready(self):
        from newsroom.text import connect_text_cleaning

        connect_text_cleaning(self)
