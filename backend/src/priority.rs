//! CPU priority for the few threads that many requests wait for: the
//! password hashing threads and SQLite's writer thread. On a busy machine a
//! thread at the normal priority gets its turn among every runnable thread;
//! one that serves many waiting requests then makes all of them wait.
//!
//! Raising a priority needs root, `CAP_SYS_NICE` or a raised `RLIMIT_NICE`;
//! without, the thread runs at the normal priority and works the same.

/// Asks for `nice` (-20 highest … 19 lowest) for the calling thread only.
pub fn raise(nice: i32) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: a plain system call on the calling thread's own id.
        let ok = unsafe { libc::setpriority(libc::PRIO_PROCESS, own_id(), nice) } == 0;
        if ok {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = nice;
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// The calling thread's nice value, where the platform tells.
pub fn current() -> Option<i32> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: reads the calling thread's own nice value.
        Some(unsafe { libc::getpriority(libc::PRIO_PROCESS, own_id()) })
    }
    #[cfg(not(target_os = "linux"))]
    None
}

#[cfg(target_os = "linux")]
fn own_id() -> libc::id_t {
    // SAFETY: gettid cannot fail.
    (unsafe { libc::gettid() }) as libc::id_t
}

/// Whether `e` is the refusal of a raise for want of the permission, as
/// opposed to a failure to ask.
pub fn is_refusal(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        // EACCES for a higher priority without the permission; EPERM on
        // some kernels.
        matches!(e.raw_os_error(), Some(libc::EACCES | libc::EPERM))
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == std::io::ErrorKind::Unsupported
    }
}

/// The nice value a thread that asks for `nice` ends up with in this
/// process: `nice` where raising is allowed, else its own (the refusal
/// being for want of the permission, not a failure to ask).
#[cfg(test)]
pub fn granted(nice: i32) -> Option<i32> {
    std::thread::spawn(move || match raise(nice) {
        Ok(()) => Some(nice),
        Err(e) => {
            assert!(is_refusal(&e), "{e}");
            current()
        }
    })
    .join()
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As root, or with CAP_SYS_NICE, the thread gets the nice value asked
    /// for; without, it is refused and keeps its own. Only that thread.
    #[test]
    fn raises_the_calling_thread_only() {
        let before = current();
        let (raised, nice) = std::thread::spawn(|| (raise(-7), current()))
            .join()
            .unwrap();
        match raised {
            Ok(()) => assert_eq!(nice, Some(-7)),
            Err(e) => {
                assert!(is_refusal(&e), "{e}");
                assert_eq!(nice, before);
            }
        }
        assert_eq!(current(), before);
    }
}
