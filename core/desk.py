"""The staff desk's first page (工作台): what needs this person now, and the models grouped by job.

Each portal app takes part with the ``desk`` hook (see core.registry): ``desk.py`` defines

    MENU = {"story": desk.STORIES, ...}   # model name -> the group the desk lists it under
    def todo(request): ...                # a list of Todo for request.user, each one click from action

``todo`` must cost a bounded number of queries whatever the data (``Todo.of`` costs two: a count and
the first few rows) and must only offer what the person's scope and permissions let them open. Models
no app places (accounts, two-factor devices...) are listed under 设置.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry

STORIES = _("新闻稿件")
CASES = _("吹哨报到")
DAYS = _("便民服务日")
VOLUNTEERS = _("志愿者")
SETTINGS = _("设置")
GROUPS = [STORIES, CASES, DAYS, VOLUNTEERS, SETTINGS]
SHOWN = 5
COUNTED_UP_TO = 999  # a line says "999+ 件" beyond: counting every late case of the district costs a scan


@dataclass
class Todo:
    """One line of the 工作台: ``count`` things, the first few linked, ``url`` the filtered list."""

    title: str
    count: int  # at most COUNTED_UP_TO + 1 (then ``capped``)
    url: str
    items: list = field(default_factory=list)  # (text, url) pairs
    hint: str = ""
    urgent: bool = False

    @classmethod
    def of(cls, title, queryset, url, label=str, hint="", urgent=False):
        """A Todo for ``queryset`` (already scoped): its count (up to COUNTED_UP_TO) and its first rows,
        each linked to its page."""
        count = queryset.order_by()[: COUNTED_UP_TO + 1].count()
        rows = list(queryset[:SHOWN]) if count else []
        opts = queryset.model._meta
        change = f"admin:{opts.app_label}_{opts.model_name}_change"
        items = [(label(row), reverse(change, args=[row.pk])) for row in rows]
        return cls(str(title), count, url, items, str(hint), urgent and count > 0)

    @property
    def capped(self):
        return self.count > COUNTED_UP_TO

    @property
    def shown_count(self):
        return COUNTED_UP_TO if self.capped else self.count

    @property
    def more(self):
        return max(self.count - len(self.items), 0)


def changelist(model, **filters):
    """The admin list of ``model`` with ``filters`` as its query string."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in filters.items()) if filters else "")


def todos(request):
    """Every app's Todo for this request, in the order of the apps."""
    found = []
    for module in registry.modules("desk"):
        found.extend(module.todo(request))
    return found


def group_apps(app_list):
    """Django's per-app list regrouped by job (GROUPS order), each group's models by name order kept."""
    where = {}
    for module in registry.modules("desk"):
        where.update({name.lower(): str(group) for name, group in module.MENU.items()})
    grouped = {str(group): [] for group in GROUPS}
    for app in app_list:
        for model in app["models"]:
            grouped[where.get(model["object_name"].lower(), str(SETTINGS))].append(model)
    return [
        {
            "name": name,
            "app_label": f"desk-{index}",
            "app_url": models[0]["admin_url"] or "",
            "has_module_perms": True,
            "models": models,
        }
        for index, (name, models) in enumerate(grouped.items())
        if models
    ]


# The rich-text editor (django-prose-editor) names its buttons in English and asks window.gettext only
# for its dialogs; static/js/desk.js puts these words on the buttons, menus and dialogs instead.
EDITOR_WORDS = {
    "paragraph": _("正文段落"),
    "Paragraph": _("正文段落"),
    "heading 1": _("一级标题"),
    "heading 2": _("二级标题"),
    "heading 3": _("三级标题"),
    "heading 4": _("四级标题"),
    "Heading 1": _("一级标题"),
    "Heading 2": _("二级标题"),
    "Heading 3": _("三级标题"),
    "Heading 4": _("四级标题"),
    "unordered list": _("项目符号列表"),
    "ordered list": _("编号列表"),
    "List properties": _("列表设置"),
    "blockquote": _("引用"),
    "horizontal rule": _("分隔线"),
    "bold": _("加粗"),
    "italic": _("斜体"),
    "underline": _("下划线"),
    "strike": _("删除线"),
    "subscript": _("下标"),
    "superscript": _("上标"),
    "insert link": _("插入链接"),
    "remove link": _("去掉链接"),
    "undo": _("撤销"),
    "redo": _("重做"),
    "Toggle fullscreen": _("全屏编辑"),
    "Code": _("代码"),
    "Code block": _("代码块"),
    "edit HTML": _("编辑 HTML"),
    "Edit HTML": _("编辑 HTML"),
    "Prettify": _("整理格式"),
    "figure": _("插入图片"),
    "Insert table": _("插入表格"),
    "Insert Table": _("插入表格"),
    "Table Properties": _("表格设置"),
    "Rows": _("行数"),
    "Columns": _("列数"),
    "Include header row": _("第一行作表头"),
    "URL": _("网址"),
    "Title": _("提示文字"),
    "Open in new window": _("在新窗口打开"),
    "Edit Link": _("编辑链接"),
    "Update": _("更新"),
    "Insert": _("插入"),
    "Cancel": _("取消"),
    "Image URL": _("图片网址"),
    "Alternative Text": _("图片说明"),
    "Caption": _("图片下的文字"),
    "Add caption": _("加图片下的文字"),
    "Remove caption": _("去掉图片下的文字"),
    "Edit Figure": _("编辑图片"),
    "Insert Figure": _("插入图片"),
    "Edit Image": _("编辑图片"),
    "Browse...": _("选择照片"),
    "Bullets": _("圆点"),
    "Decimal numbers": _("数字"),
    "List type": _("列表样式"),
    "Start at": _("起始编号"),
    "Lowercase letters": _("小写字母"),
    "Uppercase letters": _("大写字母"),
    "Lowercase Roman numerals": _("小写罗马数字"),
    "Uppercase Roman numerals": _("大写罗马数字"),
}
