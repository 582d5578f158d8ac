"""Personal agendas, table sheets and the day's desk, under /<lang>/matchmaking/<event>/."""

from django.urls import path

from . import views_agenda as v

urlpatterns = [
    path("<int:event_pk>/agenda/", v.agenda_index, name="agenda_index"),
    path("<int:event_pk>/agenda/<int:pk>/", v.agenda_page, name="agenda"),
    path("<int:event_pk>/agenda/<int:pk>/agenda.ics", v.agenda_ics, name="agenda_ics"),
    path("<int:event_pk>/agenda/<int:pk>/agenda.pdf", v.agenda_pdf, name="agenda_pdf"),
    path("<int:event_pk>/tables/<int:table_pk>/sheet.pdf", v.table_pdf, name="table_pdf"),
    path("<int:event_pk>/day/", v.day_board, name="agenda_day"),
    path("<int:event_pk>/day/meetings/<int:pk>/attend/", v.meeting_attend, name="meeting_attend"),
    path("<int:event_pk>/day/meetings/<int:pk>/move/", v.meeting_move, name="meeting_move"),
    path("<int:event_pk>/day/participants/<int:pk>/arrival/", v.participant_arrival, name="participant_arrival"),
]
