from django.http import HttpResponse


def user_list(request):
    return HttpResponse("")


user_profile = user_list
