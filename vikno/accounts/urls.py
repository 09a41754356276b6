from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("verify/", views.verify, name="verify"),
    path("totp/", views.totp_setup, name="totp-setup"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.account, name="account"),
]
