from django.http import HttpResponse


def question_list(request):
    return HttpResponse("")


question_detail = tagged_questions = question_permalink = answer_permalink = tag_list = question_list
