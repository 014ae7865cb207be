"""Core's one table: the one-time codes that open 我的事项 (core/mine.py states the contract)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A 6-digit code sent to a phone. Neither the phone nor the code is stored: only keyed digests."""

    phone_digest = models.CharField(_("手机号摘要"), max_length=64, db_index=True)
    code_digest = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    tries = models.PositiveSmallIntegerField(_("输错次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("一次性验证码")
        verbose_name_plural = _("一次性验证码")

    def __str__(self):
        return f"{self.phone_digest[:8]}… {self.created_at:%Y-%m-%d %H:%M}"
