//! A fixed address in front of a process that listens on port 0.

use std::net::SocketAddr;
use std::sync::Arc;

/// A fixed loopback address that forwards each connection to wherever it is pointed, as a
/// Service in front of a pod does. Processes that must be told each other's addresses before
/// they start (replicas and their `--peers`) are told these, and each process itself listens
/// on port 0: no port is picked, released and hoped to be still free.
pub struct Forwarder {
    pub addr: SocketAddr,
    target: Arc<std::sync::Mutex<Option<String>>>,
}

impl Forwarder {
    /// Listens on a port of its own; connections are refused (closed) until [`Self::point_at`].
    pub fn new() -> Forwarder {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a forwarder");
        let addr = listener.local_addr().unwrap();
        let target = Arc::new(std::sync::Mutex::new(None::<String>));
        let to = Arc::clone(&target);
        // Lives as long as the test binary: a blocked accept cannot be woken portably.
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let Some(target) = to.lock().unwrap().clone() else {
                    continue;
                };
                let Ok(server) = std::net::TcpStream::connect(&target) else {
                    continue;
                };
                for (mut from, mut into) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut into);
                        let _ = into.shutdown(std::net::Shutdown::Write);
                    });
                }
            }
        });
        Forwarder { addr, target }
    }

    /// Sends the next connections to `addr` (`host:port`).
    pub fn point_at(&self, addr: &str) {
        *self.target.lock().unwrap() = Some(addr.to_owned());
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}
