//! How the window's WebKit draws. WebKitGTK composites the page through OpenGL; on a machine with
//! no GPU that OpenGL is Mesa's software renderer, which in `make bench` cost the web process about
//! 75 MiB (LLVM and the GL buffers) and the first frame with the list over 100 ms. There the window
//! paints without accelerated compositing, which costs neither; a machine with a GPU keeps WebKit's
//! default.

use std::path::Path;

/// Where Linux lists its GPUs' device nodes; a render node (`renderD128`, …) is what OpenGL needs
/// to draw on a GPU.
const DRI_DEVICES: &str = "/dev/dri";

/// Turns accelerated compositing off for `window` when this machine has no GPU to do it with.
pub fn draw_in_software_without_a_gpu<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    if has_render_node(Path::new(DRI_DEVICES)) {
        return;
    }
    let applied = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    match applied {
        Ok(()) => {
            tracing::info!("no GPU render node: the window draws without accelerated compositing")
        }
        Err(error) => tracing::warn!(%error, "could not turn accelerated compositing off"),
    }
}

/// Whether `dri` holds a GPU render node.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_is_a_gpu_and_a_card_alone_or_no_folder_is_not() {
        let dri = std::env::temp_dir().join(format!("lambdesk-dri-{}", uuid::Uuid::new_v4()));
        assert!(!has_render_node(&dri), "no /dev/dri at all");
        std::fs::create_dir_all(dri.join("by-path")).unwrap();
        std::fs::write(dri.join("card0"), b"").unwrap();
        assert!(
            !has_render_node(&dri),
            "a display card without a render node"
        );
        std::fs::write(dri.join("renderD128"), b"").unwrap();
        assert!(has_render_node(&dri));
        std::fs::remove_dir_all(&dri).unwrap();
    }
}
