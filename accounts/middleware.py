"""The signed-in person's language setting (语言 Language on the settings page) decides the
language of the web pages; without an account the browser's ``Accept-Language`` does
(``LocaleMiddleware``, just before). The API authenticates tokens inside its views, so a
REST client chooses with ``Accept-Language`` (docs/i18n.md)."""

from django.utils import translation

# The account setting's values → Django's language codes (settings.LANGUAGES).
LANGUAGE_OF_SETTING = {"zh": "zh-hans", "en": "en"}


class AccountLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            code = LANGUAGE_OF_SETTING.get(user.language)
            if code and code != request.LANGUAGE_CODE:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)
