"""Forms of the imports area."""

from flask_wtf.file import FileField
from wtforms import SubmitField

from blueprints.forms import OnceForm
from core.l10n import lazy_gettext as _l


class ImportUploadForm(OnceForm):
    file = FileField(_l("Excel 或 CSV 文件"),
                     description=_l("支持 .xlsx、.xls 和 .csv（UTF-8 或 GBK）；"
                                    "请使用下载的模板，表头在数据上方的一行。"),
                     render_kw={"accept": ".xlsx,.xls,.csv"})
    submit = SubmitField(_l("上传并预览"))
