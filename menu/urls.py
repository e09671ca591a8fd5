from rest_framework.routers import SimpleRouter

from menu import views

router = SimpleRouter()
router.register("restaurants", views.RestaurantViewSet, basename="restaurant")
router.register("menu-items", views.MenuItemViewSet, basename="menu-item")

urlpatterns = router.urls
