from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def trainer_home(request):
    return render(request, "cascades/trainer_home.html", {})
