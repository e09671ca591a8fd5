from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts import views

app_name = "accounts"

router = SimpleRouter()
router.register("logins", views.LoginViewSet, basename="login")

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("token/", views.TokenObtainView.as_view(), name="token"),
    path("token/refresh/", views.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", views.TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("logout-all/", views.LogoutAllView.as_view(), name="logout-all"),
    path("me/", views.MeView.as_view(), name="me"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path("jwks.json", views.JWKSView.as_view(), name="jwks"),
    *router.urls,
]
