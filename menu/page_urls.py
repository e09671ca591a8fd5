from django.urls import path

from menu import pages

urlpatterns = [
    path("", pages.restaurant_list, name="restaurant-list-page"),
    path("<slug:slug>/", pages.restaurant_detail, name="restaurant-page"),
]
