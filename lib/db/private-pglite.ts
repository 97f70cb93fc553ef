import { PGlite } from '@electric-sql/pglite'
import { NodeFS } from '@electric-sql/pglite/nodefs'

// PGlite's files are written by Emscripten's NODEFS, which gives every new file the
// mode PostgreSQL asks for inside the wasm (0666: there is no umask in there) with an
// explicit chmod, past the process's umask. These are the database's rows, its WAL
// included: they are made owner-only here, as PostgreSQL itself keeps its data
// directory (0700 folders, 0600 files).
const GROUP_AND_OTHERS = 0o077

type EmscriptenModule = Parameters<NodeFS['init']>[1]
type Attributes = { mode?: number }
type NodeOps = {
  mknod: (parent: unknown, name: string, mode: number, dev: number) => unknown
  setattr: (node: unknown, attr: Attributes) => void
}
type StreamOps = { setattr: (stream: unknown, attr: Attributes) => void }

const ownerOnly = (attr: Attributes): Attributes => (attr.mode === undefined || attr.mode === null ? attr : { ...attr, mode: attr.mode & ~GROUP_AND_OTHERS })

/** Keeps group and other bits out of every file and folder this module's NODEFS creates or chmods. */
function keepNodeFsPrivate(mod: EmscriptenModule): void {
  const nodefs = (mod as unknown as { NODEFS?: { node_ops: NodeOps; stream_ops: StreamOps } }).NODEFS
  // a PGlite whose Emscripten no longer has NODEFS where expected must not start with open files
  if (!nodefs?.node_ops?.mknod || !nodefs.node_ops.setattr || !nodefs.stream_ops?.setattr) throw new Error('PGlite: NODEFS not found, cannot keep the data folder private')
  const { mknod, setattr } = nodefs.node_ops
  const setStreamAttr = nodefs.stream_ops.setattr
  nodefs.node_ops.mknod = (parent, name, mode, dev) => mknod(parent, name, mode & ~GROUP_AND_OTHERS, dev)
  nodefs.node_ops.setattr = (node, attr) => setattr(node, ownerOnly(attr))
  nodefs.stream_ops.setattr = (stream, attr) => setStreamAttr(stream, ownerOnly(attr))
}

/** PGlite's NodeFS, whose files and folders are owner-only. */
class PrivateNodeFS extends NodeFS {
  override async init(pg: PGlite, options: EmscriptenModule) {
    const { emscriptenOpts } = await super.init(pg, options)
    // before NodeFS's own step mounts the folder
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [keepNodeFsPrivate, ...(emscriptenOpts.preRun ?? [])] } }
  }
}

/** The embedded database in `dir`, every file of it owner-only. The one way the project opens a PGlite folder. */
export const openPGlite = (dir: string) => new PGlite({ fs: new PrivateNodeFS(dir) })
