from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def floor(request):
    """The benchmark's floor: a constant answer through the full middleware stack.

    Mounted at /floor only where BENCH_FLOOR is on (the benchmark's gunicorn), never by default.
    """
    return HttpResponse("floor\n", content_type="text/plain")
