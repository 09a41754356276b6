from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.intake, name="intake"),
    path("consultation/", views.consultation, name="consultation"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/action/", views.case_action, name="action"),
    path("<str:number>/payment/", views.case_payment, name="payment"),
    path("<str:number>/result/", views.case_result, name="result"),
    path("<str:number>/issue/", views.case_issue, name="issue"),
    path("<str:number>/transfer/", views.case_transfer, name="transfer"),
    path("<str:number>/notifications/<int:pk>/resend/", views.case_notification_resend, name="resend"),
    path("<str:number>/documents/<int:position>/", views.case_document_download, name="document"),
    path("<str:number>/documents/<int:position>/file/", views.case_document_file, name="document-file"),
    path("<str:number>/results/<int:pk>/", views.case_result_download, name="result-file"),
    path("<str:number>/inventory.pdf", views.printout, {"kind": "inventory"}, name="inventory-pdf"),
    path("<str:number>/receipt.pdf", views.printout, {"kind": "receipt"}, name="receipt-pdf"),
    path("<str:number>/refusal.pdf", views.printout, {"kind": "refusal"}, name="refusal-pdf"),
]
