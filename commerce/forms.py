"""Forms of the shop's web pages: put a product on a post, order one."""

import uuid

from django import forms

from commerce.models import Product


class ProductForm(forms.Form):
    post = forms.IntegerField(label="Post 笔记 (id)", min_value=1)
    title = forms.CharField(max_length=60, label="Title 商品名")
    price = forms.IntegerField(label="Price 价格 (分)", help_text="whole 分: 1999 is ¥19.99")
    stock = forms.IntegerField(label="Stock 库存")
    checkout = forms.ChoiceField(choices=Product.Checkout.choices, initial=Product.Checkout.IN_APP)
    external_url = forms.URLField(
        required=False, max_length=300, label="External link 外链", assume_scheme="https"
    )
    image_url = forms.URLField(
        required=False, max_length=300, label="Image URL 图片", assume_scheme="https"
    )


class OrderForm(forms.Form):
    quantity = forms.IntegerField(label="Quantity 数量", initial=1)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # One key per rendered form: a double submit or a reload buys once.
            self.initial["key"] = uuid.uuid4().hex
