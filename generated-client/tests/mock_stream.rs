//! A 1 GiB download from the mock server, read in bounded memory on both sides: the mock writes
//! a generated body as the client reads it, the client hands it on chunk by chunk. Alone in its
//! test binary, so that the process's peak memory is this test's.

use alteryx_server::mock::{Mock, pattern};

/// The process's peak resident memory so far, in bytes (Linux), if the system says.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim();
    kib.parse::<u64>().ok().map(|k| k * 1024)
}

#[tokio::test]
async fn a_gigabyte_streams_through_in_bounded_memory() {
    const SIZE: u64 = 1 << 30;
    let mock = Mock::start().await;
    mock.workflows().download_workflow_package().respond_stream(SIZE);
    let before = peak_rss();
    let mut stream = mock.client().workflows().download_workflow_package("w1", Default::default()).await.unwrap();
    assert_eq!(stream.content_length(), Some(SIZE));
    let (mut total, mut in_order) = (0u64, true);
    while let Some(chunk) = stream.next_chunk().await {
        let chunk = chunk.unwrap();
        in_order &= chunk.first().is_none_or(|b| *b == pattern(total));
        total += chunk.len() as u64;
    }
    assert_eq!(total, SIZE);
    assert!(in_order, "every chunk starts where the last one ended");
    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let grew = after.saturating_sub(before);
        assert!(grew < 64 << 20, "peak memory grew by {} MiB for a 1 GiB download", grew >> 20);
    }
}
