"""Actions of the transparency portal (``/api/3/action/transparency_*``)."""
from .ati import *  # noqa: F401,F403
from .ati import __all__ as _ati
from .bulk import *  # noqa: F401,F403
from .bulk import __all__ as _bulk
from .catalog import *  # noqa: F401,F403
from .catalog import __all__ as _catalog
from .commitment import *  # noqa: F401,F403
from .commitment import __all__ as _commitment
from .consultation import *  # noqa: F401,F403
from .consultation import __all__ as _consultation
from .follow import *  # noqa: F401,F403
from .follow import __all__ as _follow
from .institution import *  # noqa: F401,F403
from .institution import __all__ as _institution
from .indicator import *  # noqa: F401,F403
from .indicator import __all__ as _indicator
from .publication import *  # noqa: F401,F403
from .publication import __all__ as _publication
from .resource import *  # noqa: F401,F403
from .resource import __all__ as _resource
from .reuse import *  # noqa: F401,F403
from .reuse import __all__ as _reuse
from .search import *  # noqa: F401,F403
from .search import __all__ as _search
from .similar import *  # noqa: F401,F403
from .similar import __all__ as _similar
from .stats import *  # noqa: F401,F403
from .stats import __all__ as _stats

__all__ = (_search + _stats + _ati + _consultation + _commitment + _indicator + _catalog + _bulk + _resource
           + _publication + _follow + _similar + _institution + _reuse)
