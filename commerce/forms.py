"""Forms of the shop's web pages: put a product on a post, order one."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from commerce.models import Product


class ProductForm(forms.Form):
    post = forms.IntegerField(label=_("Post (id)"), min_value=1)
    title = forms.CharField(max_length=60, label=_("Product name"))
    price = forms.IntegerField(label=_("Price (fen)"), help_text=_("whole fen: 1999 is ¥19.99"))
    stock = forms.IntegerField(label=_("Stock"))
    checkout = forms.ChoiceField(label=_("Checkout"), choices=Product.Checkout.choices, initial=Product.Checkout.IN_APP)
    external_url = forms.URLField(
        required=False, max_length=300, label=_("External link"), assume_scheme="https"
    )
    image_url = forms.URLField(
        required=False, max_length=300, label=_("Image URL"), assume_scheme="https"
    )


class OrderForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # One key per rendered form: a double submit or a reload buys once.
            self.initial["key"] = uuid.uuid4().hex
