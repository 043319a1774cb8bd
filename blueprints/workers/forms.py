"""Forms of the workers area."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired

from blueprints.forms import PersonForm


class WorkerForm(PersonForm):
    submit = SubmitField(_l("保存"))


class NewWorkerForm(PersonForm):
    password = PasswordField(
        _l("初始密码"), validators=[DataRequired(_l("请设置初始密码。"))],
        description=_l("职工首次登录时需要修改。"), render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("创建职工账号"))
