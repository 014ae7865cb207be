"""One registry of app hooks: what each portal app offers the shared pages and the operations tools.

A portal app says so in its AppConfig, and nowhere else::

    from core import registry  # the module: a second AppConfig class in apps.py would hide the app's own

    class NewsConfig(registry.PortalAppConfig):
        name = "news"
        hooks = ("search", "sitemaps", "blocks", "demo", "scale", "bench")

Each name in ``hooks`` promises a module ``<app>.<hook>`` that defines what the table below asks.
The registry hands those modules out in INSTALLED_APPS order, so the order of the apps there is the
order of search providers, sitemaps, home-page blocks, demo and scale loading. A declared module that
is missing, an unknown hook name or a missing definition raises ImproperlyConfigured naming the app
and the module: a hook is never skipped in silence. The system check ``core.E001`` says the same at
``manage.py check`` (and migrate, runserver), before a nightly purge_contacts would. A new app plugs
in with its own files only.

============  ======================================================================================
hook          the module ``<app>.<hook>`` defines
============  ======================================================================================
search        ``search(terms, limit)``: a list of dicts {"kind", "title", "url", "snippet", "date",
              "score"}; core.search merges every app's results by score, then date. "kind" is
              translated words (新闻); "title" and "snippet" are plain text (never HTML: the view
              escapes and marks them), the snippet cut by ``textsearch.snippet`` from where the
              words are; filter with ``textsearch.filter_terms``, order with ``title_first``
sitemaps      ``SITEMAPS``: a dict name -> Sitemap class, merged into /sitemap.xml
blocks        any of ``home_block(request)``, ``street_block(request, street)``,
              ``community_block(request, community)``, ``service_day_block(request, day)``,
              ``my_things_block(request, phone)``, each returning None or a dict with at least
              ``template`` (and the context it needs); shown on home, street, community, service-day
              pages and 我的事项 (the resident's own rows for a verified phone, core/mine.py) in app
              order, or by the block's optional ``order`` (default 0; the communities' directory on
              the home page is 100)
demo          ``load(ctx)``: the app's demo content, safe to run again; ``ctx.stdout`` takes a summary
              line, ``ctx.picture(seed, palette, size=(1200, 800), worn=False)`` draws a picture
              (a ContentFile); run by ``manage.py load_demo``, each app in its own transaction
scale         ``seed(ctx)``: the app's part of the district-scale data set, with ``ops.scale.Context``
              (scale, random generator, progress, bulk inserts, rows made so far, ``picture``)
bench         ``PAGES``: a dict name -> function returning a path on the data set (or None when
              the data set lacks it), benchmarked by ``manage.py bench``; optional ``SIGNED_IN``:
              a dict name -> (visitors, function(user) returning a path), benchmarked signed in as
              each of ``visitors`` ("district admin", "community worker", "volunteer": the bench's
              own accounts, ops/benchvisitors.py)
retention     ``purge(cutoff, dry_run=False)``: erases residents' contact data of rows older than
              ``cutoff`` (a datetime) and returns how many rows it erased, or would erase;
              ``COUNTED``: how ``manage.py purge_contacts`` reports them ("{count} booking(s)");
              ``CUTOFF``: how the cutoff reads for them ("from before"); hooks with the same
              ``CUTOFF`` share one line of the report
desk          ``MENU``: a dict model name -> one of core.desk's groups (where the staff desk lists the
              app's models); ``todo(request)``: a list of core.desk.Todo, what needs this staff
              member now (a bounded number of queries, whatever the data); see core.desk
============  ======================================================================================

``portal_app_labels()`` names the portal's own apps: district administrators get all their
permissions (communities.roles) and a change to any of their rows refreshes the page cache
(core.pagecache).
"""

from importlib import import_module

from django.apps import AppConfig, apps
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

# hook -> names its module must define (blocks: any of its three functions).
HOOKS = {
    "search": ("search",),
    "sitemaps": ("SITEMAPS",),
    "blocks": (),
    "demo": ("load",),
    "scale": ("seed",),
    "bench": ("PAGES",),
    "retention": ("purge", "COUNTED", "CUTOFF"),
    "desk": ("MENU", "todo"),
}
BLOCKS = ("home_block", "street_block", "community_block", "service_day_block", "my_things_block")


class PortalAppConfig(AppConfig):
    """The AppConfig of a portal app: ``hooks`` names the modules ``<app>.<hook>`` it offers."""

    hooks = ()


def portal_apps():
    """The portal apps' configs, in INSTALLED_APPS order."""
    found = [config for config in apps.get_app_configs() if isinstance(config, PortalAppConfig)]
    for config in found:
        unknown = sorted(set(config.hooks) - set(HOOKS))
        if unknown:
            raise ImproperlyConfigured(
                f"App '{config.label}' declares unknown hook(s) {', '.join(unknown)}; known: {', '.join(HOOKS)}."
            )
    return found


def portal_app_labels():
    return [config.label for config in portal_apps()]


def apps_with(hook):
    """The configs of the portal apps that offer ``hook``, in INSTALLED_APPS order."""
    if hook not in HOOKS:
        raise ImproperlyConfigured(f"No hook named '{hook}'; known: {', '.join(HOOKS)}.")
    return [config for config in portal_apps() if hook in config.hooks]


def modules(hook):
    """The modules ``<app>.<hook>`` of every app that declares ``hook``, in INSTALLED_APPS order."""
    return [_load(config, hook) for config in apps_with(hook)]


def check(app_configs=None, **kwargs):
    """System check: every declared hook names a known hook and a module that defines what it asks."""
    try:
        configs = portal_apps()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="core.E001")]
    errors = []
    for config in configs:
        for hook in config.hooks:
            try:
                _load(config, hook)
            except ImproperlyConfigured as exc:
                errors.append(Error(str(exc), id="core.E001"))
    return errors


def _load(config, hook):
    path = f"{config.name}.{hook}"
    try:
        module = import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name != path:
            raise  # the module is there but imports something missing: that error, not ours
        raise ImproperlyConfigured(
            f"App '{config.label}' declares the hook '{hook}' but has no module {path}."
        ) from None
    missing = [name for name in HOOKS[hook] if not hasattr(module, name)]
    if hook == "blocks" and not any(hasattr(module, name) for name in BLOCKS):
        missing = [" or ".join(BLOCKS)]
    if missing:
        raise ImproperlyConfigured(
            f"App '{config.label}' declares the hook '{hook}' but {path} does not define {', '.join(missing)}."
        )
    return module
