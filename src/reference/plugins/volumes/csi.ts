/**
 * CSI migration as the scheduler sees it (upstream `k8s.io/csi-translation-lib` and
 * `nodevolumelimits/utils.go`): which in-tree plugins are migratable, the CSI driver each one
 * migrates to, whether migration is on for a node, the translated volume handle, and the
 * attach-limit resource key of a driver.
 */
import { createHash } from "node:crypto";
import { ANN_MIGRATED_PLUGINS, type CSINode, type VolumeSource } from "./objects.ts";

interface InTreePlugin {
  /** The in-tree plugin name (`kubernetes.io/aws-ebs`). */
  readonly plugin: string;
  /** The CSI driver it migrates to. */
  readonly driver: string;
}

/** Volume source kind → in-tree plugin (csi-translation-lib's migratable plugins). */
const MIGRATABLE: Readonly<Record<string, InTreePlugin>> = {
  awsElasticBlockStore: { plugin: "kubernetes.io/aws-ebs", driver: "ebs.csi.aws.com" },
  gcePersistentDisk: { plugin: "kubernetes.io/gce-pd", driver: "pd.csi.storage.gke.io" },
  azureDisk: { plugin: "kubernetes.io/azure-disk", driver: "disk.csi.azure.com" },
  azureFile: { plugin: "kubernetes.io/azure-file", driver: "file.csi.azure.com" },
  cinder: { plugin: "kubernetes.io/cinder", driver: "cinder.csi.openstack.org" },
  vsphereVolume: { plugin: "kubernetes.io/vsphere-volume", driver: "csi.vsphere.vmware.com" },
  portworxVolume: { plugin: "kubernetes.io/portworx-volume", driver: "pxd.portworx.com" },
};

const DRIVER_BY_PLUGIN: ReadonlyMap<string, string> = new Map(
  Object.values(MIGRATABLE).map((p) => [p.plugin, p.driver]),
);

/** `IsPVMigratable` / `IsInlineMigratable`: the in-tree plugin of a migratable source kind. */
export function migratablePlugin(sourceKind: string): InTreePlugin | undefined {
  return Object.hasOwn(MIGRATABLE, sourceKind) ? MIGRATABLE[sourceKind] : undefined;
}

/** `IsMigratableIntreePluginByName` + `GetCSINameFromInTreeName`. */
export function csiDriverOfInTreePlugin(plugin: string): string | undefined {
  return DRIVER_BY_PLUGIN.get(plugin);
}

/** The in-tree plugins listed in the CSINode's migrated-plugins annotation. */
export function migratedPlugins(csiNode: CSINode | undefined): Set<string> {
  const a = csiNode?.annotations[ANN_MIGRATED_PLUGINS];
  return new Set(a ? a.split(",") : []);
}

/**
 * NodeVolumeLimits' `isCSIMigrationOn` (v1.35): false without a CSINode; AWS EBS, GCE PD,
 * Azure Disk and Cinder migration is GA, so it is on whenever the node has a CSINode; Portworx
 * (gate on by default) needs the plugin in the CSINode's migrated-plugins annotation; every other
 * plugin (Azure File, vSphere) is off.
 */
export function isCSIMigrationOn(csiNode: CSINode | undefined, plugin: string): boolean {
  if (!csiNode || plugin === "") return false;
  switch (plugin) {
    case "kubernetes.io/aws-ebs":
    case "kubernetes.io/gce-pd":
    case "kubernetes.io/azure-disk":
    case "kubernetes.io/cinder":
      return true;
    case "kubernetes.io/portworx-volume":
      return migratedPlugins(csiNode).has(plugin);
    default:
      return false;
  }
}

/**
 * What {@link isCSIMigrationOn} reads of a CSINode, as a key: `"none"` (no CSINode: nothing
 * migrated), `"ga"` (the GA plugins) or `"ga+portworx"`. Two CSINodes with the same key give the
 * same answer for every plugin, so a volume resolution that reads a CSINode only through
 * isCSIMigrationOn may be shared between them.
 */
export function csiMigrationKey(csiNode: CSINode | undefined): string {
  if (!csiNode) return "none";
  return isCSIMigrationOn(csiNode, "kubernetes.io/portworx-volume") ? "ga+portworx" : "ga";
}

const UNSPECIFIED = "UNSPECIFIED";

/**
 * The CSI volume handle csi-translation-lib gives an in-tree source (approximations noted):
 * EBS: the volume ID with an `aws://<zone>/` prefix stripped; GCE PD:
 * `projects/UNSPECIFIED/zones/<zone>/disks/<pdName>` (`UNSPECIFIED` for inline volumes and PVs
 * without a zone label; regional disks are not distinguished); Azure Disk: the disk URI; the
 * rest: their volume ID / share / path. `undefined` when the source has no identity.
 */
export function translatedHandle(source: VolumeSource, zone?: string): string | undefined {
  switch (source.kind) {
    case "awsElasticBlockStore": {
      const id = source.volumeID;
      if (id === undefined) return undefined;
      const m = /^aws:\/\/[^/]*\/(.*)$/.exec(id);
      return m ? (m[1] as string) : id;
    }
    case "gcePersistentDisk":
      return source.pdName === undefined
        ? undefined
        : `projects/${UNSPECIFIED}/zones/${zone ?? UNSPECIFIED}/disks/${source.pdName}`;
    case "azureDisk":
      return source.diskURI;
    default:
      return source.handle;
  }
}

const CSI_ATTACH_LIMIT_PREFIX = "attachable-volumes-csi-";
const RESOURCE_NAME_LENGTH_LIMIT = 63;

/**
 * `GetCSIAttachLimitKey`: `attachable-volumes-csi-<driver>`, or, when that reaches 63
 * characters, the prefix + the driver's first 23 characters + the first 16 hex digits of its
 * SHA-1.
 */
export function csiAttachLimitKey(driver: string): string {
  if (CSI_ATTACH_LIMIT_PREFIX.length + driver.length >= RESOURCE_NAME_LENGTH_LIMIT) {
    const hashed = createHash("sha1").update(driver).digest("hex").slice(0, 16);
    return CSI_ATTACH_LIMIT_PREFIX + driver.slice(0, 23) + hashed;
  }
  return CSI_ATTACH_LIMIT_PREFIX + driver;
}

/** `IsAttachableVolumeResourceName`. */
export function isAttachableVolumeResourceName(name: string): boolean {
  return name.startsWith("attachable-volumes-");
}
