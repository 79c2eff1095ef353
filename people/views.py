from django.views.generic import DetailView, ListView

from .models import Organization, Person


class PersonListView(ListView):
    model = Person
    context_object_name = "people"


class PersonDetailView(DetailView):
    model = Person
    context_object_name = "person"


class OrganizationListView(ListView):
    model = Organization
    context_object_name = "organizations"


class OrganizationDetailView(DetailView):
    model = Organization
    context_object_name = "organization"
