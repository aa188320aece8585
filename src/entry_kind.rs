//! What an entry of the context is on disk: the one fact of the file system that BuildKit's
//! decision looks at (only directories are pruned, only regular files get the content check).

use std::os::unix::fs::FileTypeExt;

/// What an entry is on disk (never following symlinks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A unix socket: BuildKit ships it as an empty regular file.
    Socket,
    /// A named pipe: BuildKit ships it as a named pipe (never opened, so never read).
    Fifo,
    /// A character device: BuildKit ships the device node, not what reading it gives.
    CharDevice,
    /// A block device: shipped as a device node, like a character device.
    BlockDevice,
}

impl EntryKind {
    /// The kind of a file type read without following symlinks. The file type is the one the
    /// directory read already gave, so this costs no system call.
    pub fn of(file_type: std::fs::FileType) -> EntryKind {
        if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_symlink() {
            EntryKind::Symlink
        } else if file_type.is_socket() {
            EntryKind::Socket
        } else if file_type.is_fifo() {
            EntryKind::Fifo
        } else if file_type.is_char_device() {
            EntryKind::CharDevice
        } else if file_type.is_block_device() {
            EntryKind::BlockDevice
        } else {
            // A regular file, or a type unix does not have: BuildKit's sender treats
            // whatever is not one of the above as a regular file.
            EntryKind::File
        }
    }
}
