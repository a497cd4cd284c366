"""Actions of the transparency portal (``/api/3/action/transparency_*``)."""
from .ati import *  # noqa: F401,F403
from .ati import __all__ as _ati
from .consultation import *  # noqa: F401,F403
from .consultation import __all__ as _consultation
from .stats import *  # noqa: F401,F403
from .stats import __all__ as _stats

__all__ = _stats + _ati + _consultation
