from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.DayListView.as_view(), name="list"),
    path("<int:pk>/", views.DayDetailView.as_view(), name="detail"),
    path("<int:pk>/calendar.ics", views.day_ics, name="ics"),
    path("communities/<int:pk>.ics", views.community_ics, name="community_ics"),
    path("offerings/<int:pk>/book/", views.book_view, name="book"),
    path("<int:pk>/book/", views.book_many_view, name="book_many"),
    path("<int:pk>/booked/<uuid:submission>/", views.booked_many_view, name="booked_many"),
    path("bookings/<uuid:token>/", views.booking_view, name="booking"),
    path("my/bookings/<int:pk>/cancel/", views.my_cancel, name="my_cancel"),
]
