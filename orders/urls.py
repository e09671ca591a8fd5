from rest_framework.routers import SimpleRouter

from orders import views

router = SimpleRouter()
router.register("orders", views.OrderViewSet, basename="order")
router.register("kitchen/orders", views.KitchenOrderViewSet, basename="kitchen-order")

urlpatterns = router.urls
