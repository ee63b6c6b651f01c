//! The client's address behind reverse proxies. A forwarding header is believed only when the
//! socket peer is a trusted proxy (`--trusted-proxy`), and then only up to the first hop, read
//! from the right, that is not itself trusted: entries to the left of it were written by the
//! client and may be anything.
use std::net::IpAddr;

use axum::http::HeaderMap;
use clap::ValueEnum;
use ipnet::IpNet;

/// Which header the trusted proxies maintain. Only one is read: a client can send the other
/// one, which the proxy would pass through untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx `$proxy_add_x_forwarded_for`).
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"`.
    Forwarded,
}

/// A `--trusted-proxy` value: a CIDR block, or a single address.
pub fn parse_cidr(value: &str) -> Result<IpNet, String> {
    let value = value.trim();
    value
        .parse::<IpNet>()
        .or_else(|_| value.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{value}` is neither a CIDR block (10.0.0.0/8) nor an address"))
}

/// Who the client is: the peer itself unless it is a trusted proxy; then the rightmost hop of
/// the forwarding header that is not trusted (or, when every hop is trusted, the leftmost). A
/// hop that does not parse (`unknown`, an obfuscated name, garbage) ends the walk at the last
/// trusted address, since nothing further left can be attributed.
pub fn client_address(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(&client) {
        return client;
    }
    let hops = match header {
        ForwardedHeader::XForwardedFor => x_forwarded_for(headers),
        ForwardedHeader::Forwarded => forwarded(headers),
    };
    for hop in hops.into_iter().rev() {
        let Some(ip) = hop else { return client };
        client = ip.to_canonical();
        if !is_trusted(&client) {
            break;
        }
    }
    client
}

/// Every header line's values, in order: `Some(ip)` or `None` for an entry that is not an
/// address.
fn header_entries<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or("\u{0}"))
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_entries(headers, "x-forwarded-for")
        .map(|entry| entry.parse().ok())
        .collect()
}

/// The `for=` of each RFC 7239 element: `1.2.3.4`, `"1.2.3.4:80"`, `"[2001:db8::1]:4711"`.
fn forwarded(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_entries(headers, "forwarded")
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, value)| node_address(value.trim().trim_matches('"')))
        })
        .collect()
}

fn node_address(node: &str) -> Option<IpAddr> {
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let host = match node.split_once(':') {
        Some((host, _port)) => host,
        None => node,
    };
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| parse_cidr(s).unwrap()).collect()
    }

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(name, value.parse().unwrap());
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let h = headers("x-forwarded-for", &["1.2.3.4"]);
        let client = client_address(
            ip("203.0.113.9"),
            &h,
            &nets(&["10.0.0.0/8"]),
            ForwardedHeader::XForwardedFor,
        );
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client_and_spoofed_left_entries_are_ignored() {
        let trusted = nets(&["10.0.0.0/8", "127.0.0.1"]);
        // The client wrote "6.6.6.6"; our two proxies appended what they saw.
        let h = headers("x-forwarded-for", &["6.6.6.6, 198.51.100.7, 10.1.2.3"]);
        let client = client_address(
            ip("127.0.0.1"),
            &h,
            &trusted,
            ForwardedHeader::XForwardedFor,
        );
        assert_eq!(client, ip("198.51.100.7"));
        // The last entry is the one the proxy saw (one proxy, as before).
        let h = headers("x-forwarded-for", &["1.2.3.4, 5.6.7.8"]);
        let client = client_address(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::XForwardedFor);
        assert_eq!(client, ip("5.6.7.8"));
        // Several header lines count as one list, in order.
        let h = headers("x-forwarded-for", &["6.6.6.6", "198.51.100.8"]);
        let client = client_address(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::XForwardedFor);
        assert_eq!(client, ip("198.51.100.8"));
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_trusted_hop() {
        let trusted = nets(&["10.0.0.0/8"]);
        let h = headers("x-forwarded-for", &["garbage"]);
        let client = client_address(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::XForwardedFor);
        assert_eq!(client, ip("10.0.0.1"));
        let h = headers("x-forwarded-for", &["1.1.1.1, garbage, 10.0.0.2"]);
        let client = client_address(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::XForwardedFor);
        assert_eq!(client, ip("10.0.0.2"));
        let none = HeaderMap::new();
        let client = client_address(
            ip("10.0.0.1"),
            &none,
            &trusted,
            ForwardedHeader::XForwardedFor,
        );
        assert_eq!(client, ip("10.0.0.1"));
    }

    #[test]
    fn rfc_7239_elements_with_ports_and_ipv6_brackets_are_read() {
        let trusted = nets(&["10.0.0.0/8"]);
        let h = headers(
            "forwarded",
            &[r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, For="10.0.0.5:80""#],
        );
        let client = client_address(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::Forwarded);
        assert_eq!(client, ip("2001:db8:cafe::17"));
        // The other header is not read.
        let xff = headers("x-forwarded-for", &["198.51.100.7"]);
        let client = client_address(ip("10.0.0.1"), &xff, &trusted, ForwardedHeader::Forwarded);
        assert_eq!(client, ip("10.0.0.1"));
        let h = headers("forwarded", &["for=unknown"]);
        let client = client_address(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::Forwarded);
        assert_eq!(client, ip("10.0.0.1"));
    }

    #[test]
    fn an_ipv4_mapped_peer_matches_an_ipv4_block() {
        let trusted = nets(&["127.0.0.0/8"]);
        let h = headers("x-forwarded-for", &["198.51.100.7"]);
        let client = client_address(
            ip("::ffff:127.0.0.1"),
            &h,
            &trusted,
            ForwardedHeader::XForwardedFor,
        );
        assert_eq!(client, ip("198.51.100.7"));
    }

    #[test]
    fn cidrs_and_single_addresses_parse_and_nonsense_is_refused() {
        assert!(parse_cidr("10.0.0.0/8").is_ok());
        assert!(parse_cidr("::1").is_ok());
        assert!(parse_cidr("2001:db8::/32").is_ok());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("proxy.local").is_err());
    }
}
