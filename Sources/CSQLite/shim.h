#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call. Memory statistics take a global mutex on every
// allocation; the archive never reads them. Returns SQLITE_MISUSE once SQLite is initialized (harmless).
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
