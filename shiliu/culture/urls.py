from django.urls import path

from . import views, views_lectures

app_name = "culture"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/media/", views.media_add, name="media_add"),
    path("items/<int:pk>/bearers/", views.bearer_add, name="bearer_add"),
    path("media/<int:pk>/", views.media_file, name="media_file"),
    path("media/<int:pk>/thumb/", views.media_file, {"variant": "thumb"}, name="media_thumb"),
    path("exhibitions/", views.exhibitions, name="exhibitions"),
    path("exhibitions/new/", views.exhibition_new, name="exhibition_new"),
    path("exhibitions/<int:pk>/", views.exhibition_detail, name="exhibition"),
    path("exhibitions/<int:pk>/edit/", views.exhibition_edit, name="exhibition_edit"),
    path("exhibitions/<int:pk>/delete/", views.exhibition_delete, name="exhibition_delete"),
    path("exhibitions/<int:pk>/venues/", views.venue_add, name="venue_add"),
    path("lectures/", views_lectures.lecture_list, name="lectures"),
    path("lectures/series/new/", views_lectures.series_new, name="series_new"),
    path("lectures/new/", views_lectures.lecture_new, name="lecture_new"),
    path("lectures/<int:pk>/", views_lectures.lecture_detail, name="lecture"),
    path("lectures/<int:pk>/edit/", views_lectures.lecture_edit, name="lecture_edit"),
    path("lectures/reach/", views_lectures.reach, name="reach"),
    path("courses/", views_lectures.course_list, name="courses"),
    path("courses/new/", views_lectures.course_new, name="course_new"),
    path("courses/<int:pk>/", views_lectures.course_detail, name="course"),
    path("courses/<int:pk>/lessons/new/", views_lectures.lesson_new, name="lesson_new"),
    path(
        "courses/<int:pk>/lessons/<int:lesson>/questions/new/",
        views_lectures.question_new,
        name="question_new",
    ),
    path("learn/", views_lectures.learn, name="learn"),
    path("learn/<int:pk>/", views_lectures.learn_course, name="learn_course"),
    path("learn/<int:pk>/enroll/", views_lectures.learn_enroll, name="learn_enroll"),
    path("learn/<int:pk>/lessons/<int:lesson>/", views_lectures.learn_lesson, name="learn_lesson"),
    path("public/", views.public_gallery, name="public_gallery"),
    path("public/items/<int:pk>/", views.public_item, name="public_item"),
    path("public/exhibitions/<int:pk>/", views.public_exhibition, name="public_exhibition"),
    path("public/map/", views.public_map, name="public_map"),
]
