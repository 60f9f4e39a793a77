import Yams
import GRDB
import Hummingbird
