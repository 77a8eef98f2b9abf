from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonhome.core.models import Place


def home(request: HttpRequest) -> HttpResponse:
    places = Place.objects.filter(is_public=True)
    return render(request, "directory/home.html", {"places": places})


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/home.html", {"places": Place.objects.all()})
