var es=(e,t,n)=>()=>{if(n)throw n[0];try{return e&&(t=e(e=0)),t}catch(r){throw n=[r],r}};function ee(e){e&&e.parentNode&&e.remove()}function te(e,t,n){var r,a,i,l={},d=arguments.length;for(i in t)i=="key"?r=t[i]:i=="ref"&&typeof e!="function"?a=t[i]:l[i]=t[i];return d>2&&(l.children=d>3?Ue.call(arguments,2):n),ie(e,l,r,a,null)}function Xe(e,t,n){var r,a,i,l=Y({},e.props),d=arguments.length;for(i in t)i=="key"?r=t[i]:i=="ref"&&typeof e.type!="function"?a=t[i]:l[i]=t[i];return d>2&&(l.children=d>3?Ue.call(arguments,2):n),ie(e.type,l,r!==void 0?r:e.key,a!==void 0?a:e.ref,null)}function ie(e,t,n,r,a){var i={type:e,props:t,key:n,ref:r,__k:null,__:null,__b:0,__e:null,__c:null,constructor:fe,__v:a||++wt,__i:-1,__u:0};return!a&&S.vnode&&S.vnode(i),i}function A(e){return e.children}function Ee(e,t){this.props=e,this.context=t,this.__g=0}function z(e,t){if(t==null)return e.__&&z(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:z(e)}function ss(e){var t,n=e.__v,r=n.__e,a=[],i=[],l=e.__P;l&&((t=Y({constructor:fe},n)).__v=n.__v+1,S.vnode&&S.vnode(t),tt(l,t,n,e.__n,l.namespaceURI,32&n.__u?[r]:null,a,r||z(n),32&n.__u,i),t.__v=n.__v,t.__.__k[t.__i]=t,Mt(a,t,i),n.__=n.__e=null,t.__e!=r&&xt(t))}function xt(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),xt(e)}function ze(e){(8&e.__g||(e.__g|=8,J.push(e),Pe++))&&Je==S.debounceRendering||((Je=S.debounceRendering)||queueMicrotask)(Dt)}function Dt(){try{for(var e,t=1;J.length;)J.length>t&&J.sort(Et),e=J.shift(),t=J.length,8&e.__g&&ss(e)}finally{(Pe=J.length)&&(Je||queueMicrotask)(Dt)}}function Ct(e,t,n,r,a,i,l,d,p,f,u){var g,y,c,m,R,_,E=r.__k||De,k=t.length;for(p=rs(n,t,E,p,k),g=0;g<k;g++)(c=n.__k[g])!=null&&(y=~c.__i&&E[c.__i]||xe,c.__i=g,_=tt(e,c,y,a,i,l,d,p,f,u),m=c.__e,(y.ref!=c.ref||8&y.__u)&&(y.ref&&nt(y.ref,null,c,y),c.ref&&u.push(c.ref,c.__c||m,c)),R=R||m,4&c.__u?(p=Ut(c,p,e,!y.__v),y.__e&&(y.__e=null)):typeof c.type=="function"&&_!==void 0?p=_:m&&(p=m.nextSibling),c.__u&=-21);return n.__e=R,p}function rs(e,t,n,r,a){var i,l,d,p,f,u,g,y,c,m=n.length,R=m,_=0,E=0,k=e.__k=Array(a);for(i=0;i<a;i++)(l=t[i])!=null&&typeof l!="boolean"&&typeof l!="function"?(typeof l!="object"||l.constructor===String?l=k[i]=ie(null,l):Ce(l)?l=k[i]=ie(A,{children:l}):l.constructor===fe&&l.__b?l=k[i]=ie(l.type,l.props,l.key,l.ref,l.__v):k[i]=l,p=i+_,l.__=e,l.__b=e.__b+1,d=null,~(f=l.__i=os(l,n,p,R))&&(R--,(d=n[f])&&(d.__u|=2)),d&&d.__v?(l.__u|=16,f==p-1?_--:f==p+1?_++:f!=p&&(f>p?_--:_++,E=1)):(~f||(a>m?_--:a<m&&_++),typeof l.type!="function"&&(l.__u|=4))):k[i]=null;if(E){for(u=[],g=[],i=0;i<a;i++)if((l=k[i])&&16&l.__u){for(_=0,y=u.length;_<y;)u[c=_+y>>1]<l.__i?_=c+1:y=c;u[_]=l.__i,g[i]=_+1}for(_=u.length;i--;)g[i]&&(g[i]==_?_--:k[i].__u|=4)}if(R)for(i=0;i<m;i++)!(d=n[i])||2&d.__u||(d.__e==r&&(r=z(d)),st(d,d));return r}function Ut(e,t,n,r){var a,i,l,d;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(i=0;i<a.length;i++)a[i]&&(a[i].__=e,t=Ut(a[i],t,n,!1));return t}for(t&&!t.parentNode&&(t=z(e))&&!t.parentNode&&(t=null),l=e.__e,d=t;d&&d.nodeType==8;)d=d.nextSibling;for(l!=d&&(!r&&n.moveBefore&&l.parentNode?n.moveBefore(l,t):n.insertBefore(l,t||null)),t=l;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function et(e,t){return t=t||[],e!=null&&typeof e!="boolean"&&(Ce(e)?e.some(function(n){et(n,t)}):t.push(e)),t}function os(e,t,n,r){var a,i=e.key,l=e.type,d=t[n],p=d&&!(2&d.__u);if(d===null&&i==null||p&&i==d.key&&l==d.type)return n;if(r>(p?1:0)){for(a=n-1;a>=0;a--)if((d=t[a])&&!(2&d.__u)&&i==d.key&&l==d.type)return a;for(a=n+1;a<t.length;a++)if((d=t[a])&&!(2&d.__u)&&i==d.key&&l==d.type)return a}return-1}function St(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Se(e,t,n,r,a){var i,l;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof r=="string"&&(e.style.cssText=r=""),r)for(t in r)n&&t in n||St(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||St(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof r!="function"&&(r=null),(e.__e||(e.__e={}))[t]=n,n&&r||(l=Ye[t]||(Ye[t]=is(t)),(e.__a||(e.__a={}))[t]=Ze,i=t!=(t=t.replace(Tt,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,l,i):e.removeEventListener(t,l,i));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function is(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[we]==null)t[we]=Ze++;else if(t[we]<this.__a[e])return;return n(S.event?S.event(t):t)}}}function tt(e,t,n,r,a,i,l,d,p,f){var u,g,y,c,m,R,_,E,k,P,T,me,Re,oe,Q,M,$,W,G=t.type;if(t.constructor!==fe)return null;128&n.__u&&(p=32&n.__u,u=n.__c.__z)&&(t.__u|=p,g=i=[],u.nodeType==8?d=Te(u,i):i.push(u),d=i[0]||d),(u=S.__b)&&u(t);e:if(typeof G=="function"){y=l.length;try{if(E=t.props,k=(u=G.prototype)&&u.render,P=(u=G.contextType)&&r[u.__c],T=u?P?P.props.value:u.__:r,(c=n.__c)?(t.__c=c,2&c.__g&&(c.__g|=1)):(k?t.__c=c=new G(E,T):(t.__c=c=new Ee(E,T),c.constructor=G,c.render=ls),P&&P.sub(c),c.state||(c.state={}),c.__n=r,c.__g|=8,c.__h=[],c.__k=[]),k&&(c.__s||(c.__s=c.state),G.getDerivedStateFromProps&&(c.__s==c.state&&(c.__s=Y({},c.__s)),Y(c.__s,G.getDerivedStateFromProps(E,c.__s)))),m=c.props,R=c.state,c.__v=t,n.__c){if(E!==m&&k&&!G.getDerivedStateFromProps&&c.componentWillReceiveProps&&c.componentWillReceiveProps(E,T),t.__v==n.__v&&!(8&c.__g)||!(4&c.__g)&&c.shouldComponentUpdate&&c.shouldComponentUpdate(E,c.__s,T)===!1){t.__v!=n.__v&&(c.props=E,c.state=c.__s,c.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(H){H&&(H.__=t)}),De.push.apply(c.__h,c.__k),c.__k=[],c.__h.length&&l.push(c),d=z(n);break e}c.componentWillUpdate&&c.componentWillUpdate(E,c.__s,T),k&&c.componentDidUpdate&&c.__h.push(function(){c.componentDidUpdate(m,R,_)})}else k&&!G.getDerivedStateFromProps&&c.componentWillMount&&c.componentWillMount(),k&&c.componentDidMount&&c.__h.push(c.componentDidMount);c.context=T,c.props=E,c.__P=e,c.__g&=-5,me=S.__r,Re=k?25:0;do c.__g&=-9,me&&me(t),u=c.render(c.props,c.state=c.__s,c.context);while(8&c.__g&&++Re<25);k&&(De.push.apply(c.__h,c.__k),c.__k=[]),c.state=c.__s,c.getChildContext&&(r=Y({},r,c.getChildContext())),k&&n.__c&&c.getSnapshotBeforeUpdate&&(_=c.getSnapshotBeforeUpdate(m,R)),oe=u&&u.type===A&&u.key==null?u.props.children:u,E.__P&&(u=d,a=(e=E.__P).namespaceURI,p=i=null,n.props&&n.props.__P!=e&&(n.__k.some(function(H){H&&st(H,H)}),n.__k=null),d=n.__k?z(n,0):null),d=Ct(e,Ce(oe)?oe:[oe],t,n,r,a,i,l,d,p,f),E.__P&&(t.__e=null,d=u),t.__u&=-161,g&&g.some(ee),c.__h.length&&l.push(c),1&c.__g&&(c.__g&=-4)}catch(H){if(l.length=y,t.__v=null,p||i)if(H&&H.then){if(t.__u|=128|p,i){for(~($=i.indexOf(d||void 0))||($=i.length);(W=i[$-1])&&W.nodeType==8;)$--;for(;$<i.length;$++)if(W=i[$])if(i[$]=null,Q){if(W==M)break}else{if(W.nodeType!=8)break;W.data.startsWith("$s")&&(M=Te(Q=W))}}if(!Q){for(;d&&d.nodeType==8&&d.nextSibling;)d=d.nextSibling;Q=d}(u=Te(Q=t.__c.__z||(t.__c.__z=Q)))?(t.__e=Q,d=u):t.__e=d,d=d&&d.nextSibling}else i&&i.some(ee);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),H&&H.then||It(t),S.__e(H,t,n)}}else d=t.__e=as(n.__e,t,n,r,a,i,l,p,f,e);return(u=S.diffed)&&u(t),d}function Te(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function It(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(It))}function Mt(e,t,n){for(var r=0;r<n.length;)nt(n[r++],n[r++],n[r++]);S.__c&&S.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(i){i.call(a)})}catch(i){S.__e(i,a.__v)}})}function as(e,t,n,r,a,i,l,d,p,f){var u,g,y,c,m,R,_,E,k=n.props||xe,P=t.props,T=t.type;if(T=="svg"?a="http://www.w3.org/2000/svg":T=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),i){for(u=0;u<i.length;u++)if((m=i[u])&&(T?m.localName==T:m.nodeType==3)){e=m,i[u]=null;break}}if(!e){if(E=f.ownerDocument||document,!T)return E.createTextNode(P);e=E.createElementNS(a,T,P.is?P:f),d&&(S.__m&&S.__m(t,i),d=!1),i=null}if(T){if(f=T=="template"&&e.content||e,i=T=="textarea"&&P.defaultValue!=null?null:i&&Ue.call(f.childNodes),!d&&i)for(k={},u=0;u<e.attributes.length;u++)k[(m=e.attributes[u]).name]=m.value;for(u in k)m=k[u],u=="dangerouslySetInnerHTML"?y=m:u=="children"||u in P||u=="value"&&"defaultValue"in P||u=="checked"&&"defaultChecked"in P||Se(e,u,null,m,a);for(u in P)m=P[u],u=="children"?c=m:u=="dangerouslySetInnerHTML"?g=m:u=="value"?R=m:u=="checked"?_=m:d&&typeof m!="function"||k[u]===m||Se(e,u,m,k[u],a);g?(d||y&&(g.__html==y.__html||g.__html==e.innerHTML)||(e.innerHTML=g.__html),t.__k=[]):(y&&(e.textContent=""),(T=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&ns.test(T))&&(a="http://www.w3.org/1999/xhtml"),Ct(f,Ce(c)?c:[c],t,n,r,a,i,l,i?i[0]:n.__k&&z(n,0),d,p),i&&i.some(ee)),d&&T!="textarea"||(u="value",T=="progress"&&R==null?e.removeAttribute(u):R==null||R===e[u]&&(T!="progress"||R)||Se(e,u,R,k[u],a),u="checked",_!=null&&_!=e[u]&&Se(e,u,_,k[u],a))}else k===P||d&&e.data==P||(e.data=P);return e}function nt(e,t,n,r){try{typeof e=="function"?t?t.__x=e(t)||1:r&&(r=r.__c||r.__e)&&(t=r.__x)&&(r.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){S.__e(a,n)}}function st(e,t,n){var r,a,i,l;if(S.unmount&&S.unmount(e),!(r=e.ref)||r.current&&r.current!=e.__e||nt(r,null,t,e),r=e.__c){if(r.componentWillUnmount)try{r.componentWillUnmount()}catch(d){S.__e(d,t)}r.__P=r.__n=null}if(r=e.__k)for(l=0;l<r.length;l++)r[l]&&st(r[l],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(r=e.__c)&&(r=r.__z)&&(a=Te(r,i=[]))&&(r==e.__e&&i.some(ee),ee(a),ee(r)),n||ee(e.__e),e.__e=e.__c=e.__=null}function ls(e,t,n){return this.constructor(e,n)}function Nt(e,t){var n,r,a,i;S.__&&S.__(e,t),t.nodeType==9&&(t=t.documentElement),r=(n=e&&32&e.__u)?null:t.__k,t.__k=ie(A,{children:[e]}),a=[],i=[],tt(t,t.__k,r||xe,xe,t.namespaceURI,r?null:t.firstChild?Ue.call(t.childNodes):null,a,r?r.__e:t.firstChild,n,i),Mt(a,t.__k,i),t.__k.props.children=null}function rt(e){function t(n){var r,a;return this.getChildContext||(r=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.shouldComponentUpdate=function(i){this.props.value!=i.value&&r.forEach(function(l){l.__g|=4,ze(l)})},this.sub=function(i){r.add(i);var l=i.componentWillUnmount;i.componentWillUnmount=function(){r.delete(i),l&&l.call(i)}}),n.children}return t.__c="__cC"+Pt++,t.__=e,t.Provider=(t.Consumer=function(n,r){return n.children(r)}).contextType=t,t}var S,wt,ts,J,Je,Pe,Et,we,Tt,Ze,Ye,Pt,fe,xe,De,ns,Ce,Ue,Y,ae=es(()=>{fe=Symbol.for("pv"),xe={},De=[],ns=/^m(i|n|o|s|text|space)$/,Ce=Array.isArray,Ue=De.slice,Y=Object.assign;S={__e:function(e,t,n,r){for(var a,i,l;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((l=(i=a.constructor)&&i.getDerivedStateFromError)&&a.setState(i.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),l=1),l&&8&a.__g)return void(a.__g|=2)}catch(d){e=d}}throw Pe=0,e}},wt=0,ts=function(e){return e!=null&&e.constructor===fe},Ee.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=Y({},this.state)),typeof e=="function"&&(e=e(Y({},n),this.props)),e&&(Y(n,e),this.__v&&(t&&this.__k.push(t),ze(this)))},Ee.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),ze(this))},Ee.prototype.render=A,J=[],Pe=0,Et=function(e,t){return e.__v.__b-t.__v.__b},we=Symbol(),Tt=/(PointerCapture)$|Capture$/i,Ze=0,Ye={},Pt=0});ae();ae();var Z,x,ot,Lt,it=Object.is,ye=0,qt=[],at=[],C=S,Ot=C.__b,Vt=C.__r,$t=C.diffed,Ft=C.__c,Kt=C.unmount,Bt=C.__;function le(e,t){C.__h&&C.__h(x,e,ye||t),ye=0;var n=x.__H||(x.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function v(e){return ye=1,Ie(Wt,e)}function Ie(e,t,n){var r=le(Z++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Wt(void 0,t),function(i){var l=(r.__N||r.__)[0],d=r.t(l,i);it(l,d)||(r.__N=[d,r.__[1]],r.__c.setState({}))}],r.__c=x,!x.__f)){x.__f=!0;var a=x.shouldComponentUpdate;x.shouldComponentUpdate=function(i,l,d){var p=this.__H;if(!p)return!0;var f=!1,u=this.props!=i;if(p.__.some(function(y){y.__N&&(f=!0,it(y.__[0],y.__N[0])||(u=!0))}),a){var g=a.call(this,i,l,d);return f?g||u:g}return!f||u}}return r.__}function ne(e,t){var n=le(Z++,3);!C.__s&&dt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,x.__H.__h.push(n))}function ut(e,t){var n=le(Z++,4);!C.__s&&dt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,x.__h.push(n))}function F(e){return ye=5,_e(function(){return{current:e}},[])}function _e(e,t){var n=le(Z++,7);return dt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Qt(e,t){return ye=8,_e(function(){return e},t)}function Me(e){var t=x.context[e.__c],n=le(Z++,9);return n.c=e,t?(n.__==null&&(n.__=!0,t.sub(x)),t.props.value):e.__}function Ne(){var e=le(Z++,11);if(!e.__){for(var t=x.__v;!t.__m&&t.__;)t=t.__;var n=t.__m||(t.__m=[0,0]);e.__="P"+n[0]+"-"+n[1]++}return e.__}function us(){var e;do{for(;e=at.shift();)try{ge(e)}catch(n){C.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=qt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(ge),t.__h.some(lt),t.__h=[]}catch(n){t.__h=[],C.__e(n,e.__v)}}}while(at.length)}C.__b=function(e){x=null,Ot&&Ot(e)},C.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Bt&&Bt(e,t)},C.__r=function(e){Vt&&Vt(e),Z=0;var t=(x=e.__c).__H;t&&(ot==x?x.__h=[]:(t.__h.some(ge),t.__h.some(lt),Z=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),ot=x},C.diffed=function(e){$t&&$t(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&jt(qt.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),ot=x=null},C.__c=function(e,t){t.some(function(n){try{n.__h.some(ge),n.__h=n.__h.filter(function(r){return!r.__||lt(r)})}catch(r){n.__h=[function(){throw r}]}}),Ft&&Ft(e,t)},C.unmount=function(e){Kt&&Kt(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,jt(at.push(a))}else ge(a)}catch(i){t=i}}),r.__H=void 0,t&&C.__e(t,r.__v))};var Ht=typeof requestAnimationFrame=="function";function ds(e){var t,n=function(){clearTimeout(r),Ht&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Ht&&(t=requestAnimationFrame(n))}function jt(e){e!=1&&Lt==C.requestAnimationFrame||((Lt=C.requestAnimationFrame)||ds)(us)}function ge(e){var t=x,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),x=t}function lt(e){var t=x;e.__c=e.__(),x=t}function dt(e,t){return!e||e.length!=t.length||t.some(function(n,r){return!it(n,e[r])})}function Wt(e,t){return typeof t=="function"?t(e):t}ae();var ue,be;function cs(e){return!be||(typeof be=="string"?e.startsWith(be):be.test(e))}function ps(e,t){let n="";if(ue=void 0,t&&t.type==="click"){if(t.ctrlKey||t.metaKey||t.altKey||t.shiftKey||t.button!==0)return e;let r=t.composedPath().find(i=>i.nodeName=="A"&&i.href),a=r&&r.getAttribute("href");if(!r||r.origin!=location.origin||/^#/.test(a)||!/^(_?self)?$/i.test(r.target)||!cs(a)||r.download)return e;ue=!0,t.preventDefault(),n=r.href.replace(location.origin,"")}else t&&t.url?(ue=!t.replace,n=t.url):n=location.pathname+location.search;return ue===!0?history.pushState(null,"",n):ue===!1&&history.replaceState(null,"",n),n}var ms=(e,t,n={})=>{e=e.split("/").filter(Boolean),t=(t||"").split("/").filter(Boolean),n.params||(n.params={});for(let r=0,a,i;r<Math.max(e.length,t.length);r++){let[,l,d,p]=(t[r]||"").match(/^(:?)(.*?)([+*?]?)$/);if(a=e[r],!(!l&&d==a)){if(!l&&a&&p=="*"){n.rest="/"+e.slice(r).join("/");break}if(!l||!a&&p!="?"&&p!="*")return;if(i=p=="+"||p=="*",i?a=e.slice(r).map(decodeURIComponent).join("/")||void 0:a&&(a=decodeURIComponent(a)),n.params[d]=a,d in n||(n[d]=a),i)break}}return n};function se(e){let[t,n]=Ie(ps,e.url||location.pathname+location.search);e.scope&&(be=e.scope);let r=ue===!0,a=_e(()=>{let i=new URL(t,location.origin),l=i.pathname.replace(/\/+$/g,"")||"/";return{url:t,path:l,query:Object.fromEntries(i.searchParams),route:(d,p)=>n({url:d,replace:p}),back:()=>{history.back()},forward:()=>{history.forward()},wasPush:r}},[t]);return ut(()=>(addEventListener("click",n),addEventListener("popstate",n),()=>{removeEventListener("click",n),removeEventListener("popstate",n)}),[]),te(se.ctx.Provider,{value:a},e.children)}var fs=Promise.resolve();function Ve(e){let[t,n]=Ie(M=>M+1,0),{url:r,query:a,wasPush:i,path:l}=O();if(!r)throw new Error("preact-iso's <Router> must be used within a <LocationProvider>, see: https://github.com/preactjs/preact-iso#locationprovider");let{rest:d=l,params:p={}}=Me(pt),f=F(!1),u=F(l),g=F(1),y=F(),c=F(),m=F(),R=F(!1),_=F();_.current=!1;let E,k,P;et(e.children).some(M=>{if(ms(d,M.props.path,P={...M.props,path:d,query:a,params:Object.assign({},p),rest:""}))return E=Xe(M,P);M.props.default&&(k=Xe(M,P))});let T=E||k,me=y.current&&y.current.__u&Le&&y.current.__u&Oe,Re=y.current&&y.current.__h,oe=_e(()=>{c.current=y.current,y.current=te(pt.Provider,{value:P},T);let M=c.current&&c.current.props.children;return!M||!T||T.type!==M.type||T.props.component!==M.props.component?(g.current++,!0):!1},[r,JSON.stringify(P)]);me?(y.current.__u|=Le,y.current.__u|=Oe):Re&&(y.current.__h=!0);let Q=c.current;return c.current=null,this.__c=(M,$)=>{_.current=!0,c.current=Q,e.onLoadStart&&e.onLoadStart(r),f.current=!0;let W=g.current;M.then(()=>{W===g.current&&(c.current=null,y.current&&($.__h&&(y.current.__h=$.__h),$.__u&Oe&&(y.current.__u|=Oe),$.__u&Le&&(y.current.__u|=Le)),fs.then(n))})},ut(()=>{let M=this.__v&&this.__v.__e;if(_.current){!R.current&&!m.current&&(m.current=M);return}!R.current&&m.current&&(m.current!==M&&m.current.remove(),m.current=null),R.current=!0,u.current!==l&&(i&&scrollTo(0,0),e.onRouteChange&&e.onRouteChange(r),u.current=l),e.onLoadEnd&&f.current&&e.onLoadEnd(r),f.current=!1},[l,i,t]),oe?[te(ct,{r:y,key:g.current}),te(ct,{r:c,key:g.current-1})]:te(ct,{r:y,key:g.current})}var Le=32,Oe=128,ct=({r:e})=>e.current;Ve.Provider=se;se.ctx=rt({});var pt=rt({}),K=e=>te(e.component,e),O=()=>Me(se.ctx),he=()=>Me(pt);var gs={appName:"gerbang console",skipToContent:"Skip to content",nav:"Main",navUsers:"Users",navRoles:"Roles",navAudit:"Audit log",navAccount:"My account",signOut:"Sign out",signedInAs:e=>`Signed in as ${e}`,loading:"Loading\u2026",save:"Save",saved:"Saved.",cancel:"Cancel",delete:"Delete",confirm:"Confirm",create:"Create",revoke:"Revoke",remove:"Remove",yes:"Yes",no:"No",any:"Any",never:"Never",none:"None",previous:"Previous page",next:"Next page",forbidden:"You are not allowed to do this.",notFound:"Nothing here.",networkError:"gerbang cannot be reached. Check the connection and try again.",sessionExpired:"Your session ended. Please sign in again.",signInTitle:"Sign in",usernameOrEmail:"Username or email",password:"Password",signIn:"Sign in",signInWithPasskey:"Sign in with a passkey",secondStepTitle:"Second step",secondStepHelp:"Enter the code from your authenticator app, or one of your recovery codes.",code:"Code",verify:"Verify",backToSignIn:"Back",tryAgainIn:e=>`Too many attempts. Try again in ${e} s.`,passkeyCancelled:"The passkey prompt was closed.",usersTitle:"Users",search:"Search",searchPlaceholder:"Email, username or name",role:"Role",status:"Status",active:"Active",inactive:"Inactive",sortBy:"Sort by",sortNewest:"Newest first",sortOldest:"Oldest first",sortEmail:"Email A\u2013Z",sortUsername:"Username A\u2013Z",sortName:"Name A\u2013Z",usersCount:e=>e===1?"1 user":`${e} users`,newUser:"New user",email:"Email",username:"Username",displayName:"Display name",firstName:"First name",lastName:"Last name",phoneNumber:"Phone number",address:"Address",avatarUrl:"Avatar URL",locale:"Language of mails",localeHelp:"en or id; empty: the language of the browser that asks for a mail",roles:"Roles",created:"Created",lastLogin:"Last sign-in",emailVerified:"Email verified",profile:"Profile",clearHint:"An emptied field is cleared.",activate:"Activate",deactivate:"Deactivate",accountActive:"This account is active.",accountInactive:"This account is deactivated: it cannot sign in.",saveRoles:"Save roles",setPassword:"Set password",newPassword:"New password",passwordSet:"Password set; every session of this user ended.",sessions:"Sessions",noSessions:"No live sessions.",device:"Device",ipAddress:"IP address",lastUsed:"Last used",expires:"Expires",thisSession:"this session",revokeAll:"Revoke all sessions",sessionsEnded:e=>e===1?"1 session ended.":`${e} sessions ended.`,mfa:"Multi-factor sign-in",mfaNone:"No second factor and no passkey.",mfaReset:"Reset multi-factor sign-in",mfaResetDone:"Second factors and passkeys removed.",confirmMfaReset:"Remove this user\u2019s authenticator app, recovery codes and passkeys?",deleteUser:"Delete user",confirmDeleteUser:e=>`Delete ${e}? This cannot be undone.`,createUserTitle:"New user",passwordOptional:"Password (optional: without one the account cannot sign in yet)",rolesTitle:"Roles",newRole:"New role",name:"Name",roleCode:"Code",description:"Description",permissions:"Permissions",appPermissions:"Application permissions",appPermissionsHelp:"One per line, e.g. invoice:write",system:"system",members:"Members",memberCount:e=>e===1?"1 member":`${e} members`,noMembers:"No members.",createdBy:"Created by",deleteRole:"Delete role",confirmDeleteRole:e=>`Delete the role ${e}? Its members lose it.`,createRoleTitle:"New role",accountTitle:"My account",changePassword:"Change password",currentPassword:"Current password",passwordChanged:"Password changed; your other sessions ended.",revokeOthers:"Sign out everywhere else",totp:"Authenticator app",totpOn:"An authenticator app is set up.",totpOff:"No authenticator app is set up.",totpBegin:"Set up an authenticator app",totpScan:"Scan this code with the app, or enter the key by hand, then type the code it shows.",totpQr:"QR code for the authenticator app",totpKey:"Key",totpConfirm:"Turn on",recoveryCodes:"Recovery codes",recoveryCodesHelp:"Each works once, in place of a code. Keep them somewhere safe: they are not shown again.",recoveryCodesRegenerate:"New recovery codes",totpDisable:"Turn off",passkeys:"Passkeys",noPasskeys:"No passkeys.",passkeyName:"Passkey name",addPasskey:"Add a passkey",passkeyAdded:"Passkey added.",apiKeys:"API keys",noApiKeys:"No API keys.",keyName:"Key name",expiresAt:"Expires (optional)",createKey:"Create key",keySecret:"The key\u2019s secret, shown once: copy it now.",prefix:"Starts with",auditTitle:"Audit log",action:"Action",actorId:"Actor (user id)",subjectUserId:"About user (user id)",since:"From",until:"Until",filter:"Filter",at:"When",actor:"Actor",subject:"Subject",details:"Details",eventsCount:e=>e===1?"1 event":`${e} events`,noEvents:"No events.",anonymousActor:"anonymous",permissionNames:{USER_READ:"Read users",USER_WRITE:"Change users",ROLE_READ:"Read roles",ROLE_WRITE:"Change roles",AUDIT_READ:"Read the audit log"}},ys={appName:"konsol gerbang",skipToContent:"Langsung ke isi",nav:"Utama",navUsers:"Pengguna",navRoles:"Peran",navAudit:"Log audit",navAccount:"Akun saya",signOut:"Keluar",signedInAs:e=>`Masuk sebagai ${e}`,loading:"Memuat\u2026",save:"Simpan",saved:"Tersimpan.",cancel:"Batal",delete:"Hapus",confirm:"Konfirmasi",create:"Buat",revoke:"Cabut",remove:"Lepas",yes:"Ya",no:"Tidak",any:"Semua",never:"Tidak pernah",none:"Tidak ada",previous:"Halaman sebelumnya",next:"Halaman berikutnya",forbidden:"Anda tidak diizinkan melakukan ini.",notFound:"Tidak ada apa-apa di sini.",networkError:"gerbang tidak dapat dihubungi. Periksa koneksi lalu coba lagi.",sessionExpired:"Sesi Anda berakhir. Silakan masuk lagi.",signInTitle:"Masuk",usernameOrEmail:"Nama pengguna atau email",password:"Kata sandi",signIn:"Masuk",signInWithPasskey:"Masuk dengan passkey",secondStepTitle:"Langkah kedua",secondStepHelp:"Masukkan kode dari aplikasi autentikator, atau salah satu kode pemulihan Anda.",code:"Kode",verify:"Verifikasi",backToSignIn:"Kembali",tryAgainIn:e=>`Terlalu banyak percobaan. Coba lagi dalam ${e} detik.`,passkeyCancelled:"Jendela passkey ditutup.",usersTitle:"Pengguna",search:"Cari",searchPlaceholder:"Email, nama pengguna atau nama",role:"Peran",status:"Status",active:"Aktif",inactive:"Nonaktif",sortBy:"Urutkan",sortNewest:"Terbaru dulu",sortOldest:"Terlama dulu",sortEmail:"Email A\u2013Z",sortUsername:"Nama pengguna A\u2013Z",sortName:"Nama A\u2013Z",usersCount:e=>`${e} pengguna`,newUser:"Pengguna baru",email:"Email",username:"Nama pengguna",displayName:"Nama tampilan",firstName:"Nama depan",lastName:"Nama belakang",phoneNumber:"Nomor telepon",address:"Alamat",avatarUrl:"URL avatar",locale:"Bahasa email",localeHelp:"en atau id; kosong: bahasa peramban yang meminta email",roles:"Peran",created:"Dibuat",lastLogin:"Terakhir masuk",emailVerified:"Email terverifikasi",profile:"Profil",clearHint:"Kolom yang dikosongkan akan dihapus isinya.",activate:"Aktifkan",deactivate:"Nonaktifkan",accountActive:"Akun ini aktif.",accountInactive:"Akun ini dinonaktifkan: tidak dapat masuk.",saveRoles:"Simpan peran",setPassword:"Atur kata sandi",newPassword:"Kata sandi baru",passwordSet:"Kata sandi diatur; semua sesi pengguna ini berakhir.",sessions:"Sesi",noSessions:"Tidak ada sesi aktif.",device:"Perangkat",ipAddress:"Alamat IP",lastUsed:"Terakhir dipakai",expires:"Berakhir",thisSession:"sesi ini",revokeAll:"Cabut semua sesi",sessionsEnded:e=>`${e} sesi berakhir.`,mfa:"Masuk multi-faktor",mfaNone:"Tidak ada faktor kedua dan tidak ada passkey.",mfaReset:"Atur ulang masuk multi-faktor",mfaResetDone:"Faktor kedua dan passkey dihapus.",confirmMfaReset:"Hapus aplikasi autentikator, kode pemulihan, dan passkey pengguna ini?",deleteUser:"Hapus pengguna",confirmDeleteUser:e=>`Hapus ${e}? Ini tidak dapat dibatalkan.`,createUserTitle:"Pengguna baru",passwordOptional:"Kata sandi (opsional: tanpanya akun belum dapat masuk)",rolesTitle:"Peran",newRole:"Peran baru",name:"Nama",roleCode:"Kode",description:"Deskripsi",permissions:"Izin",appPermissions:"Izin aplikasi",appPermissionsHelp:"Satu per baris, mis. invoice:write",system:"sistem",members:"Anggota",memberCount:e=>`${e} anggota`,noMembers:"Tidak ada anggota.",createdBy:"Dibuat oleh",deleteRole:"Hapus peran",confirmDeleteRole:e=>`Hapus peran ${e}? Anggotanya kehilangan peran ini.`,createRoleTitle:"Peran baru",accountTitle:"Akun saya",changePassword:"Ganti kata sandi",currentPassword:"Kata sandi saat ini",passwordChanged:"Kata sandi diganti; sesi Anda yang lain berakhir.",revokeOthers:"Keluar dari semua perangkat lain",totp:"Aplikasi autentikator",totpOn:"Aplikasi autentikator sudah diatur.",totpOff:"Belum ada aplikasi autentikator.",totpBegin:"Atur aplikasi autentikator",totpScan:"Pindai kode ini dengan aplikasi, atau ketik kuncinya, lalu masukkan kode yang ditampilkan.",totpQr:"Kode QR untuk aplikasi autentikator",totpKey:"Kunci",totpConfirm:"Aktifkan",recoveryCodes:"Kode pemulihan",recoveryCodesHelp:"Masing-masing berlaku sekali, sebagai pengganti kode. Simpan di tempat aman: tidak ditampilkan lagi.",recoveryCodesRegenerate:"Kode pemulihan baru",totpDisable:"Matikan",passkeys:"Passkey",noPasskeys:"Tidak ada passkey.",passkeyName:"Nama passkey",addPasskey:"Tambah passkey",passkeyAdded:"Passkey ditambahkan.",apiKeys:"Kunci API",noApiKeys:"Tidak ada kunci API.",keyName:"Nama kunci",expiresAt:"Berakhir (opsional)",createKey:"Buat kunci",keySecret:"Rahasia kunci, ditampilkan sekali: salin sekarang.",prefix:"Diawali",auditTitle:"Log audit",action:"Tindakan",actorId:"Pelaku (id pengguna)",subjectUserId:"Tentang pengguna (id pengguna)",since:"Dari",until:"Sampai",filter:"Saring",at:"Waktu",actor:"Pelaku",subject:"Subjek",details:"Rincian",eventsCount:e=>`${e} peristiwa`,noEvents:"Tidak ada peristiwa.",anonymousActor:"anonim",permissionNames:{USER_READ:"Membaca pengguna",USER_WRITE:"Mengubah pengguna",ROLE_READ:"Membaca peran",ROLE_WRITE:"Mengubah peran",AUDIT_READ:"Membaca log audit"}};function _s(e){for(let t of e){let n=t.toLowerCase().split("-")[0];if(n==="id"||n==="en")return n}return"en"}var $e=_s(navigator.languages?.length?navigator.languages:[navigator.language]),o=$e==="id"?ys:gs,bs=new Intl.DateTimeFormat($e==="id"?"id-ID":"en-GB",{dateStyle:"medium",timeStyle:"short"});function L(e){return e?bs.format(new Date(e)):o.never}var V=class extends Error{code;extensions;constructor(t){super(t.message),this.extensions=t.extensions??{},this.code=this.extensions.code??"INTERNAL_SERVER_ERROR"}get fields(){return this.code==="BAD_USER_INPUT"?this.extensions.fields??{}:{}}},Fe={token:()=>null,renew:async()=>!1};function Gt(e){Fe=e}async function mt(e,t,n){let r={"content-type":"application/json",accept:"application/graphql-response+json"};n&&(r.authorization=`Bearer ${n}`);let a;try{a=await fetch("/graphql",{method:"POST",headers:r,body:JSON.stringify({query:e.toString(),variables:t}),credentials:"omit"})}catch{throw new V({message:"",extensions:{code:"NETWORK"}})}let i;try{i=await a.json()}catch{throw new V({message:`HTTP ${a.status}`,extensions:{code:"INTERNAL_SERVER_ERROR"}})}let l=i.errors?.[0];if(l)throw new V(l);if(i.data==null)throw new V({message:`HTTP ${a.status}`});return i.data}async function b(e,t){let n=Fe.token();try{return await mt(e,t,n)}catch(r){if(n&&r instanceof V&&r.code==="UNAUTHENTICATED"&&await Fe.renew())return mt(e,t,Fe.token());throw r}}function re(e,t){return mt(e,t,null)}var h=class extends String{__apiType;value;__meta__;constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}},Ys=new h(`
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}
    `,{fragmentName:"Tokens"}),zs=new h(`
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}
    `,{fragmentName:"RoleFields"}),Zs=new h(`
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
    `,{fragmentName:"Profile"}),Xs=new h(`
    fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}
    `,{fragmentName:"SessionRow"}),Jt=new h(`
    query MyAccount {
  me {
    ...Profile
    permissions
    appPermissions
    mfaMethods
    sessions {
      ...SessionRow
    }
    passkeys {
      id
      name
      createdAt
      lastUsedAt
    }
    apiKeys {
      id
      name
      prefix
      permissions
      appPermissions
      createdAt
      expiresAt
      lastUsedAt
    }
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}`),Yt=new h(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}
    `),zt=new h(`
    mutation RevokeOtherSessions {
  revokeOtherSessions
}
    `),Zt=new h(`
    mutation BeginTotpEnrollment {
  beginTotpEnrollment {
    secret
    otpauthUri
    qrSvg
  }
}
    `),Xt=new h(`
    mutation ConfirmTotpEnrollment($code: String!) {
  confirmTotpEnrollment(code: $code)
}
    `),en=new h(`
    mutation DisableTotp($currentPassword: String!) {
  disableTotp(currentPassword: $currentPassword)
}
    `),tn=new h(`
    mutation RegenerateRecoveryCodes($currentPassword: String!) {
  regenerateRecoveryCodes(currentPassword: $currentPassword)
}
    `),nn=new h(`
    mutation BeginPasskeyRegistration {
  beginPasskeyRegistration {
    challengeId
    options
  }
}
    `),sn=new h(`
    mutation FinishPasskeyRegistration($challengeId: String!, $name: String!, $credential: JSON!) {
  finishPasskeyRegistration(
    challengeId: $challengeId
    name: $name
    credential: $credential
  ) {
    id
  }
}
    `),rn=new h(`
    mutation RemovePasskey($id: ID!) {
  removePasskey(id: $id)
}
    `),on=new h(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
    }
  }
}
    `),an=new h(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id)
}
    `),ln=new h(`
    query AuditEvents($first: Int, $after: String, $last: Int, $before: String, $filter: AuditFilter) {
  auditEvents(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      at
      action
      actorId
      actor {
        id
        email
        displayName
      }
      subjectUserId
      subjectRoleId
      ipAddress
      userAgent
      details
    }
  }
}
    `),un=new h(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),dn=new h(`
    mutation CompleteLogin($mfaToken: String!, $code: String!) {
  completeLogin(mfaToken: $mfaToken, code: $code) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),cn=new h(`
    mutation BeginPasskeyLogin($usernameOrEmail: String) {
  beginPasskeyLogin(usernameOrEmail: $usernameOrEmail) {
    challengeId
    options
  }
}
    `),pn=new h(`
    mutation FinishPasskeyLogin($challengeId: String!, $credential: JSON!) {
  finishPasskeyLogin(challengeId: $challengeId, credential: $credential) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),mn=new h(`
    mutation Refresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),fn=new h(`
    mutation Logout {
  logout
}
    `),ft=new h(`
    query Me {
  me {
    id
    username
    email
    displayName
    permissions
  }
}
    `),gn=new h(`
    query Roles {
  roles {
    ...RoleFields
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),yn=new h(`
    query Role($id: ID!) {
  role(id: $id) {
    ...RoleFields
    createdBy {
      id
      email
      displayName
    }
    users(first: 100) {
      totalCount
      nodes {
        id
        username
        email
        displayName
      }
    }
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),_n=new h(`
    mutation CreateRole($input: CreateRoleInput!) {
  createRole(input: $input) {
    id
  }
}
    `),bn=new h(`
    mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
  updateRole(id: $id, input: $input) {
    ...RoleFields
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),hn=new h(`
    mutation DeleteRole($id: ID!) {
  deleteRole(id: $id)
}
    `),vn=new h(`
    query Users($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter, $sort: UserSort) {
  users(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
    sort: $sort
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      username
      email
      displayName
      isActive
      createdAt
      lastLoginAt
      roles {
        id
        name
      }
    }
  }
}
    `),kn=new h(`
    query User($id: ID!) {
  user(id: $id) {
    ...Profile
    mfaMethods
    sessions {
      ...SessionRow
    }
  }
  roles {
    id
    name
    isSystem
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}`),Ke=new h(`
    query RoleChoices {
  roles {
    id
    name
  }
}
    `),An=new h(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    id
  }
}
    `),ve=new h(`
    mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    ...Profile
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}`),Rn=new h(`
    mutation SetUserPassword($id: ID!, $password: String!) {
  setUserPassword(id: $id, password: $password) {
    id
  }
}
    `),Sn=new h(`
    mutation DeleteUser($id: ID!) {
  deleteUser(id: $id)
}
    `),Be=new h(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `),wn=new h(`
    mutation RevokeUserSessions($userId: ID!) {
  revokeUserSessions(userId: $userId)
}
    `),En=new h(`
    mutation ResetUserMfa($userId: ID!) {
  resetUserMfa(userId: $userId)
}
    `);var bt="gerbang.console.refresh",He={status:"loading"},je=null,yt,gt=null,_t=new Set;function ke(e){He=e;for(let t of _t)t()}function qe(){return He}function Tn(e){return _t.add(e),()=>_t.delete(e)}function Pn(e){je=e.accessToken,sessionStorage.setItem(bt,e.refreshToken),clearTimeout(yt);let t=Math.min(60,e.expiresIn/5);yt=setTimeout(()=>{vt()},Math.max(1,e.expiresIn-t)*1e3)}function ht(){je=null,clearTimeout(yt),sessionStorage.removeItem(bt)}async function Qe(e){Pn(e);let{me:t}=await b(ft);ke({status:"signedIn",me:t})}async function hs(){let e=sessionStorage.getItem(bt);if(!e)return!1;try{let{refreshToken:t}=await re(mn,{refreshToken:e});return Pn(t),!0}catch(t){return t instanceof V&&t.code!=="NETWORK"&&(ht(),ke({status:"signedOut",reason:"expired"})),!1}}function vt(){return gt??=hs().finally(()=>{gt=null}),gt}function j(e){return He.status==="signedIn"&&He.me.permissions.includes(e)}async function xn(){try{je&&await b(fn)}catch{}finally{ht(),ke({status:"signedOut"})}}async function Dn(){if(await vt())try{let{me:e}=await b(ft);ke({status:"signedIn",me:e});return}catch{ht()}ke({status:"signedOut"})}Gt({token:()=>je,renew:vt});ae();ae();var vs=Symbol.for("pv"),ks=0;function s(e,t,n,r,a,i){t||(t={});var l,d,p=t;if("ref"in p&&typeof e!="function")for(d in p={},t)d=="ref"?l=t[d]:p[d]=t[d];var f={type:e,props:p,key:n,ref:l,__k:null,__:null,__b:0,__e:null,__c:null,constructor:vs,__v:--ks,__i:-1,__u:0};return(a||i)&&(f.__source=a,f.__self=i),S.vnode&&S.vnode(f),f}function Un(e){return e instanceof V?e.code==="NETWORK"?o.networkError:e.code==="TOO_MANY_REQUESTS"&&typeof e.extensions.retryAfter=="number"?o.tryAgainIn(e.extensions.retryAfter):e.code==="FORBIDDEN"?`${o.forbidden} ${e.message}`:e.message:String(e)}function U(){let[e,t]=v(!1),[n,r]=v(null),[a,i]=v({}),[l,d]=v(null),p=Qt(async f=>{t(!0),r(null),i({}),d(null);try{let u=await f();return u&&d(u),!0}catch(u){let g=u instanceof V?u.fields:{};return Object.keys(g).length>0?i(g):r(Un(u)),!1}finally{t(!1)}},[]);return{busy:e,error:n,fields:a,notice:l,run:p,setError:r}}function D({error:e,notice:t}){return e?s("p",{class:"alert error",role:"alert",children:e}):t?s("p",{class:"alert notice",role:"status",children:t}):null}function w(e){let t=Ne(),n=e.errors?.[e.name]??[],r=[e.help?`${t}-help`:"",n.length?`${t}-err`:""].filter(Boolean).join(" ")||void 0,a={id:t,name:e.name,value:e.value,required:e.required,disabled:e.disabled,placeholder:e.placeholder,"aria-invalid":n.length>0?!0:void 0,"aria-describedby":r,onInput:i=>e.onValue(i.currentTarget.value)};return s("div",{class:"field",children:[s("label",{for:t,children:e.label}),e.multiline?s("textarea",{rows:3,...a}):s("input",{...a,type:e.type??"text",autocomplete:e.autocomplete}),e.help&&s("small",{id:`${t}-help`,children:e.help}),n.length>0&&s("ul",{class:"field-errors",id:`${t}-err`,children:n.map(i=>s("li",{children:i},i))})]})}function de(e){let t=Ne();return s("div",{class:"field",children:[s("label",{for:t,children:e.label}),s("select",{id:t,name:e.name,value:e.value,onChange:n=>e.onValue(n.currentTarget.value),children:e.options.map(([n,r])=>s("option",{value:n,children:r},n))})]})}function X(e){let t=e.name&&e.errors?.[e.name]||[];return s("fieldset",{class:"choices",disabled:e.disabled,children:[s("legend",{children:e.legend}),e.choices.map(([n,r])=>s("label",{children:[s("input",{type:"checkbox",checked:e.chosen.includes(n),onChange:a=>e.onChosen(a.currentTarget.checked?[...e.chosen,n]:e.chosen.filter(i=>i!==n))}),r]},n)),t.length>0&&s("ul",{class:"field-errors",role:"alert",children:t.map(n=>s("li",{children:n},n))})]})}function ce(e){let t=F(null);return s(A,{children:[s("button",{type:"button",class:e.danger?"danger":void 0,disabled:e.disabled,onClick:()=>t.current?.showModal(),children:e.label}),s("dialog",{ref:t,"aria-label":e.label,children:s("form",{method:"dialog",children:[s("p",{children:e.question}),s("div",{class:"actions",children:[s("button",{value:"cancel",autofocus:!0,children:o.cancel}),s("button",{value:"confirm",class:e.danger?"danger":void 0,onClick:()=>{t.current?.close(),e.onConfirm()},children:o.confirm})]})]})})]})}function N(e){let t=Ne();return s("section",{"aria-labelledby":t,children:[s("h2",{id:t,children:e.title}),e.children]})}function B(e,t){let[n,r]=v(null),[a,i]=v(null),[l,d]=v(!0),[p,f]=v(0);return ne(()=>{let u=!0;return d(!0),e().then(g=>u&&(r(g),i(null))).catch(g=>u&&i(g)).finally(()=>u&&d(!1)),()=>{u=!1}},[t,p]),{data:n,error:a,loading:l,reload:()=>f(u=>u+1)}}function q({loaded:e}){if(e.error){let t=e.error instanceof V&&e.error.code==="FORBIDDEN";return s("p",{class:"alert error",role:"alert","data-code":t?"FORBIDDEN":void 0,children:Un(e.error)})}return e.loading&&!e.data?s("p",{role:"status",children:o.loading}):null}function I({children:e}){let t=F(null);return ne(()=>{document.title=`${e} \xB7 ${o.appName}`,t.current?.focus()},[e]),s("h1",{tabIndex:-1,ref:t,children:e})}function As(e){return s("button",{type:"button","aria-label":`${e.label}: ${e.of}`,disabled:e.disabled,onClick:e.onClick,children:e.label})}function pe(e,t){let[n,r]=v(e),a=F(t);return ne(()=>{a.current!==t&&(a.current=t,r(e))},[t]),[n,r]}function Ae(e){if(e.rows.length===0)return s("p",{children:e.empty});let t=e.action;return s("table",{children:[s("thead",{children:s("tr",{children:[e.headers.map(n=>s("th",{scope:"col",children:n},n)),t&&s("th",{scope:"col",children:s("span",{class:"sr-only",children:t.label})})]})}),s("tbody",{children:e.rows.map(n=>s("tr",{children:[e.cells(n).map((r,a)=>s("td",{children:r},a)),t&&s("td",{children:s(As,{label:t.label,of:t.name(n),disabled:t.disabled,onClick:()=>t.run(n)})})]},n.id))})]})}var In=()=>PublicKeyCredential;async function Mn(e){try{let t=await e();return t?t.toJSON():null}catch(t){if(t instanceof DOMException&&t.name==="NotAllowedError")return null;throw t}}function Nn(e){let t=In().parseCreationOptionsFromJSON(e.publicKey);return Mn(()=>navigator.credentials.create({publicKey:t}))}function Ln(e){let t=In().parseRequestOptionsFromJSON(e.publicKey);return Mn(()=>navigator.credentials.get({publicKey:t}))}function On({expired:e}){let[t,n]=v(""),[r,a]=v(""),[i,l]=v(null),[d,p]=v(""),f=U(),u=c=>{c.preventDefault(),f.run(async()=>{try{let{login:m}=await re(un,{input:{usernameOrEmail:t,password:r}});await Qe(m)}catch(m){if(m instanceof V&&m.extensions.mfaRequired&&typeof m.extensions.mfaToken=="string"){l(m.extensions.mfaToken),a("");return}throw m}})},g=c=>{c.preventDefault(),i&&f.run(async()=>{let{completeLogin:m}=await re(dn,{mfaToken:i,code:d});await Qe(m)})},y=()=>{f.run(async()=>{let{beginPasskeyLogin:c}=await re(cn,{usernameOrEmail:t.trim()||null}),m=await Ln(c.options);if(!m)return o.passkeyCancelled;let{finishPasskeyLogin:R}=await re(pn,{challengeId:c.challengeId,credential:m});await Qe(R)})};return i?s("main",{id:"main",class:"signin",children:[s(I,{children:o.secondStepTitle}),s("p",{children:o.secondStepHelp}),s("form",{onSubmit:g,children:[s(w,{label:o.code,name:"code",value:d,onValue:p,errors:f.fields,autocomplete:"one-time-code",required:!0}),s(D,{error:f.error}),s("div",{class:"actions",children:[s("button",{type:"submit",class:"primary",disabled:f.busy,children:o.verify}),s("button",{type:"button",onClick:()=>(l(null),p("")),children:o.backToSignIn})]})]})]}):s("main",{id:"main",class:"signin",children:[s(I,{children:o.signInTitle}),e&&s("p",{class:"alert notice",role:"status",children:o.sessionExpired}),s("form",{onSubmit:u,children:[s(w,{label:o.usernameOrEmail,name:"usernameOrEmail",value:t,onValue:n,errors:f.fields,autocomplete:"username webauthn",required:!0}),s(w,{label:o.password,name:"password",type:"password",value:r,onValue:a,errors:f.fields,autocomplete:"current-password",required:!0}),s(D,{error:f.error,notice:f.notice}),s("div",{class:"actions",children:[s("button",{type:"submit",class:"primary",disabled:f.busy,children:o.signIn}),"PublicKeyCredential"in window&&s("button",{type:"button",onClick:y,disabled:f.busy,children:o.signInWithPasskey})]})]})]})}var Vn=20,kt={newest:["CREATED_AT","DESC",o.sortNewest],oldest:["CREATED_AT","ASC",o.sortOldest],email:["EMAIL","ASC",o.sortEmail],username:["USERNAME","ASC",o.sortUsername],name:["DISPLAY_NAME","ASC",o.sortName]};function Rs(e){let[t,n]=kt[e.sort??"newest"]??kt.newest,r={search:e.q||null,roleId:e.role||null,isActive:e.active==="true"?!0:e.active==="false"?!1:null};return{...e.before?{last:Vn,before:e.before}:{first:Vn,after:e.after||null},filter:r,sort:{field:t,direction:n}}}function $n(){let{query:e,path:t,route:n}=O(),[r,a]=v(e.q??""),i=Rs(e),l=B(()=>b(vn,i),JSON.stringify(i)),d=B(()=>b(Ke),"roles"),p=u=>{let g=new URLSearchParams,y={...e,after:void 0,before:void 0,...u};for(let[m,R]of Object.entries(y))R&&g.set(m,R);let c=g.toString();n(c?`${t}?${c}`:t)},f=l.data?.users;return s(A,{children:[s(I,{children:o.usersTitle}),j("USER_WRITE")&&s("p",{children:s("a",{class:"button primary",href:"/admin/users/new",children:o.newUser})}),s("form",{class:"filters",role:"search",onSubmit:u=>{u.preventDefault(),p({q:r.trim()||void 0})},children:[s(w,{label:o.search,name:"search",type:"search",value:r,onValue:a,placeholder:o.searchPlaceholder}),s("button",{type:"submit",children:o.search}),s(de,{label:o.role,value:e.role??"",onValue:u=>p({role:u}),options:[["",o.any],...(d.data?.roles??[]).map(u=>[u.id,u.name])]}),s(de,{label:o.status,value:e.active??"",onValue:u=>p({active:u}),options:[["",o.any],["true",o.active],["false",o.inactive]]}),s(de,{label:o.sortBy,value:e.sort??"newest",onValue:u=>p({sort:u}),options:Object.entries(kt).map(([u,[,,g]])=>[u,g])})]}),s(q,{loaded:l}),f&&s(A,{children:[s("p",{role:"status",class:"count",children:o.usersCount(f.totalCount)}),s("table",{children:[s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:o.email}),s("th",{scope:"col",children:o.username}),s("th",{scope:"col",children:o.displayName}),s("th",{scope:"col",children:o.roles}),s("th",{scope:"col",children:o.status}),s("th",{scope:"col",children:o.lastLogin})]})}),s("tbody",{children:f.nodes.map(u=>s("tr",{children:[s("td",{children:s("a",{href:`/admin/users/${u.id}`,children:u.email??u.id})}),s("td",{children:u.username}),s("td",{children:u.displayName}),s("td",{children:u.roles.map(g=>g.name).join(", ")}),s("td",{children:u.isActive?o.active:o.inactive}),s("td",{children:L(u.lastLoginAt)})]},u.id))})]}),s("div",{class:"pager",children:[s("button",{type:"button",disabled:!f.pageInfo.hasPreviousPage,onClick:()=>p({...e,before:f.pageInfo.startCursor??void 0,after:void 0}),children:o.previous}),s("button",{type:"button",disabled:!f.pageInfo.hasNextPage,onClick:()=>p({...e,after:f.pageInfo.endCursor??void 0,before:void 0}),children:o.next})]})]})]})}var At=["email","username","displayName","firstName","lastName","phoneNumber","address","avatarUrl","locale"],Ss={email:"off",firstName:"off",lastName:"off",phoneNumber:"off",address:"off"};function We(e){let t=Object.fromEntries(At.map(l=>[l,e.user[l]??""])),[n,r]=pe(t,e.user.updatedAt),a=U(),i=l=>{l.preventDefault();let d={};for(let p of At)n[p]!==t[p]&&(d[p]=n[p].trim()===""?null:n[p].trim());a.run(async()=>{if(Object.keys(d).length>0){let{updateUser:p}=await b(ve,{id:e.user.id,input:d});e.onSaved(p)}return o.saved})};return s(N,{title:o.profile,children:s("form",{onSubmit:i,children:[s("p",{class:"hint",children:o.clearHint}),s("div",{class:"grid",children:At.map(l=>s(w,{label:o[l],name:l,type:l==="email"?"email":l==="avatarUrl"?"url":"text",value:n[l],onValue:d=>r({...n,[l]:d}),errors:a.fields,disabled:!e.editable||e.readOnly?.includes(l),autocomplete:Ss[l],multiline:l==="address",help:l==="locale"?o.localeHelp:void 0},l))}),s(D,{error:a.error,notice:a.notice}),e.editable&&s("button",{type:"submit",class:"primary",disabled:a.busy,children:o.save})]})})}function Ge(e){let t=e.onRevoke;return s(Ae,{headers:[o.device,o.ipAddress,o.created,o.lastUsed,o.expires],rows:e.sessions,cells:n=>[s(A,{children:[n.userAgent??"\u2014",n.current&&s("strong",{children:[" (",o.thisSession,")"]})]}),n.ipAddress??"\u2014",L(n.createdAt),L(n.lastUsedAt),L(n.expiresAt)],empty:o.noSessions,action:t&&{label:o.revoke,name:n=>n.userAgent??n.id,disabled:e.busy,run:n=>t(n.id)}})}function Fn(){let{params:e}=he(),t=e.id??"",n=B(()=>b(kn,{id:t}),t),r=n.data?.user;return n.data&&!r?s(A,{children:[s(I,{children:o.usersTitle}),s("p",{class:"alert error",role:"alert",children:o.notFound})]}):s(A,{children:[s(I,{children:r?r.displayName||r.email||r.username||r.id:o.usersTitle}),s(q,{loaded:n}),r&&n.data&&s(ws,{user:r,roles:n.data.roles,reload:n.reload})]})}function ws({user:e,roles:t,reload:n}){let{route:r}=O(),a=j("USER_WRITE"),[i,l]=pe(e.roles.map(_=>_.id),e.updatedAt),[d,p]=v(""),f=U(),u=U(),g=U(),y=U(),c=U(),m=U(),R=e.email??e.username??e.id;return s(A,{children:[s("p",{class:"meta",children:[o.created,": ",L(e.createdAt)," \xB7 ",o.lastLogin,": ",L(e.lastLoginAt)," \xB7 ",o.emailVerified,": ",e.emailVerified?o.yes:o.no]}),s(We,{user:e,editable:a,onSaved:n}),s(N,{title:o.status,children:[s("p",{children:e.isActive?o.accountActive:o.accountInactive}),s(D,{error:f.error,notice:f.notice}),a&&s("button",{type:"button",disabled:f.busy,onClick:()=>{f.run(async()=>{await b(ve,{id:e.id,input:{isActive:!e.isActive}}),n()})},children:e.isActive?o.deactivate:o.activate})]}),s(N,{title:o.roles,children:s("form",{onSubmit:_=>{_.preventDefault(),u.run(async()=>(await b(ve,{id:e.id,input:{roleIds:i}}),n(),o.saved))},children:[s(X,{legend:o.roles,name:"roleIds",choices:t.map(_=>[_.id,_.name]),chosen:i,onChosen:l,disabled:!a,errors:u.fields}),s(D,{error:u.error,notice:u.notice}),a&&s("button",{type:"submit",disabled:u.busy,children:o.saveRoles})]})}),a&&s(N,{title:o.setPassword,children:s("form",{onSubmit:_=>{_.preventDefault(),g.run(async()=>(await b(Rn,{id:e.id,password:d}),p(""),n(),o.passwordSet))},children:[s(w,{label:o.newPassword,name:"password",type:"password",value:d,onValue:p,errors:g.fields,autocomplete:"new-password",required:!0}),s(D,{error:g.error,notice:g.notice}),s("button",{type:"submit",disabled:g.busy,children:o.setPassword})]})}),s(N,{title:o.sessions,children:[s(D,{error:y.error,notice:y.notice}),s(Ge,{sessions:e.sessions??[],busy:y.busy,onRevoke:a?_=>{y.run(async()=>{let{revokeSession:E}=await b(Be,{id:_});return n(),o.sessionsEnded(E?1:0)})}:void 0}),a&&(e.sessions?.length??0)>0&&s(ce,{label:o.revokeAll,question:`${o.revokeAll}: ${R}?`,onConfirm:()=>{y.run(async()=>{let{revokeUserSessions:_}=await b(wn,{userId:e.id});return n(),o.sessionsEnded(_)})}})]}),s(N,{title:o.mfa,children:[s("p",{children:e.mfaMethods?.length?e.mfaMethods.join(", "):o.mfaNone}),s(D,{error:c.error,notice:c.notice}),a&&s(ce,{label:o.mfaReset,question:o.confirmMfaReset,danger:!0,onConfirm:()=>{c.run(async()=>(await b(En,{userId:e.id}),n(),o.mfaResetDone))}})]}),a&&s(N,{title:o.deleteUser,children:[s(D,{error:m.error}),s(ce,{label:o.deleteUser,question:o.confirmDeleteUser(R),danger:!0,disabled:m.busy,onConfirm:()=>{m.run(async()=>{await b(Sn,{id:e.id}),r("/admin/users")})}})]})]})}function Kn(){let{route:e}=O(),t=B(()=>b(Ke),"roles"),[n,r]=v({email:"",password:"",username:"",displayName:""}),[a,i]=v([]),l=U(),d=(p,f,u="text",g)=>s(w,{label:f,name:p,type:u,value:n[p],onValue:y=>r({...n,[p]:y}),errors:l.fields,autocomplete:g,required:p==="email"});return s(A,{children:[s(I,{children:o.createUserTitle}),s("form",{onSubmit:p=>{p.preventDefault(),l.run(async()=>{let f=g=>g.trim()||null,{createUser:u}=await b(An,{input:{email:n.email.trim(),password:n.password||null,username:f(n.username),displayName:f(n.displayName),roleIds:a}});e(`/admin/users/${u.id}`)})},children:[d("email",o.email,"email","off"),d("password",o.passwordOptional,"password","new-password"),d("username",o.username,"text","off"),d("displayName",o.displayName),s(q,{loaded:t}),s(X,{legend:o.roles,name:"roleIds",choices:(t.data?.roles??[]).map(p=>[p.id,p.name]),chosen:a,onChosen:i,errors:l.fields}),s(D,{error:l.error}),s("button",{type:"submit",class:"primary",disabled:l.busy,children:o.create})]})]})}var Bn=["USER_READ","USER_WRITE","ROLE_READ","ROLE_WRITE","AUDIT_READ"],Rt=(e=Bn)=>Bn.filter(t=>e.includes(t)).map(t=>[t,o.permissionNames[t]??t]);function Hn(){let e=B(()=>b(gn),"roles");return s(A,{children:[s(I,{children:o.rolesTitle}),j("ROLE_WRITE")&&s("p",{children:s("a",{class:"button primary",href:"/admin/roles/new",children:o.newRole})}),s(q,{loaded:e}),e.data&&s("table",{children:[s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:o.name}),s("th",{scope:"col",children:o.roleCode}),s("th",{scope:"col",children:o.description}),s("th",{scope:"col",children:o.permissions}),s("th",{scope:"col",children:o.members})]})}),s("tbody",{children:e.data.roles.map(t=>s("tr",{children:[s("td",{children:[s("a",{href:`/admin/roles/${t.id}`,children:t.name}),t.isSystem&&s("span",{class:"tag",children:[" ",o.system]})]}),s("td",{children:t.code??""}),s("td",{children:t.description??""}),s("td",{children:[...t.permissions,...t.appPermissions].join(", ")}),s("td",{children:t.userCount??""})]},t.id))})]})]})}var Es=e=>({name:e?.name??"",code:e?.code?.toString()??"",description:e?.description??"",permissions:e?.permissions??[],appPermissions:e?.appPermissions.join(`
`)??""});function jn(e){let t=e.code.trim();return{name:e.name.trim(),code:t===""?null:Number(t),description:e.description.trim()||null,permissions:e.permissions,appPermissions:e.appPermissions.split(`
`).map(n=>n.trim()).filter(Boolean)}}function qn(e){let[t,n]=pe(Es(e.role),e.role?.updatedAt??""),r=U(),a=i=>l=>n({...t,[i]:l});return s("form",{onSubmit:i=>{i.preventDefault(),r.run(()=>e.onSubmit(t))},children:[s(w,{label:o.name,name:"name",value:t.name,onValue:a("name"),errors:r.fields,disabled:!e.editable,required:!0}),s(w,{label:o.roleCode,name:"code",type:"number",value:t.code,onValue:a("code"),errors:r.fields,disabled:!e.editable}),s(w,{label:o.description,name:"description",value:t.description,onValue:a("description"),errors:r.fields,disabled:!e.editable,multiline:!0}),s(X,{legend:o.permissions,name:"permissions",choices:Rt(),chosen:t.permissions,onChosen:i=>n({...t,permissions:i}),disabled:!e.editable,errors:r.fields}),s(w,{label:o.appPermissions,name:"appPermissions",value:t.appPermissions,onValue:a("appPermissions"),errors:r.fields,disabled:!e.editable,help:o.appPermissionsHelp,multiline:!0}),s(D,{error:r.error,notice:r.notice}),e.editable&&s("button",{type:"submit",class:"primary",disabled:r.busy,children:e.submit})]})}function Qn(){let{params:e}=he(),{route:t}=O(),n=e.id??"",r=B(()=>b(yn,{id:n}),n),a=U(),i=r.data?.role,l=j("ROLE_WRITE");return r.data&&!i?s(A,{children:[s(I,{children:o.rolesTitle}),s("p",{class:"alert error",role:"alert",children:o.notFound})]}):s(A,{children:[s(I,{children:i?.name??o.rolesTitle}),s(q,{loaded:r}),i&&s(A,{children:[i.createdBy&&s("p",{class:"meta",children:[o.createdBy,": ",i.createdBy.displayName??i.createdBy.email??i.createdBy.id]}),s(qn,{role:i,editable:l,submit:o.save,onSubmit:async d=>(await b(bn,{id:i.id,input:jn(d)}),r.reload(),o.saved)}),s(N,{title:o.members,children:i.users&&i.users.totalCount>0?s(A,{children:[s("p",{children:o.memberCount(i.users.totalCount)}),s("ul",{children:i.users.nodes.map(d=>s("li",{children:s("a",{href:`/admin/users/${d.id}`,children:d.displayName??d.email??d.username??d.id})},d.id))})]}):s("p",{children:i.users?o.noMembers:""})}),l&&!i.isSystem&&s(N,{title:o.deleteRole,children:[s(D,{error:a.error}),s(ce,{label:o.deleteRole,question:o.confirmDeleteRole(i.name),danger:!0,disabled:a.busy,onConfirm:()=>{a.run(async()=>{await b(hn,{id:i.id}),t("/admin/roles")})}})]})]})]})}function Wn(){let{route:e}=O();return s(A,{children:[s(I,{children:o.createRoleTitle}),s(qn,{editable:!0,submit:o.create,onSubmit:async t=>{let{createRole:n}=await b(_n,{input:jn(t)});e(`/admin/roles/${n.id}`)}})]})}function Gn(){let e=B(()=>b(Jt),"me"),t=e.data?.me;return s(A,{children:[s(I,{children:o.accountTitle}),s(q,{loaded:e}),t&&s(A,{children:[s(We,{user:t,editable:!0,readOnly:["email"],onSaved:e.reload}),s(Ts,{}),s(Ps,{me:t,reload:e.reload}),s(Ds,{me:t,reload:e.reload}),s(Cs,{me:t,reload:e.reload}),s(Us,{me:t,reload:e.reload})]})]})}function Ts(){let[e,t]=v(""),[n,r]=v(""),a=U();return s(N,{title:o.changePassword,children:s("form",{onSubmit:i=>{i.preventDefault(),a.run(async()=>(await b(Yt,{currentPassword:e,newPassword:n}),t(""),r(""),o.passwordChanged))},children:[s(w,{label:o.currentPassword,name:"currentPassword",type:"password",value:e,onValue:t,errors:a.fields,autocomplete:"current-password",required:!0}),s(w,{label:o.newPassword,name:"newPassword",type:"password",value:n,onValue:r,errors:a.fields,autocomplete:"new-password",required:!0}),s(D,{error:a.error,notice:a.notice}),s("button",{type:"submit",disabled:a.busy,children:o.changePassword})]})})}function Ps({me:e,reload:t}){let n=U(),r=e.sessions??[];return s(N,{title:o.sessions,children:[s(D,{error:n.error,notice:n.notice}),s(Ge,{sessions:r,busy:n.busy,onRevoke:a=>{n.run(async()=>{let{revokeSession:i}=await b(Be,{id:a});return t(),o.sessionsEnded(i?1:0)})}}),r.length>1&&s("button",{type:"button",disabled:n.busy,onClick:()=>{n.run(async()=>{let{revokeOtherSessions:a}=await b(zt);return t(),o.sessionsEnded(a)})},children:o.revokeOthers})]})}function xs({codes:e}){return s("div",{class:"secret",role:"status",children:[s("h3",{children:o.recoveryCodes}),s("p",{children:o.recoveryCodesHelp}),s("ul",{class:"codes",children:e.map(t=>s("li",{children:s("code",{children:t})},t))})]})}function Ds({me:e,reload:t}){let n=e.mfaMethods?.includes("TOTP")??!1,[r,a]=v(null),[i,l]=v(""),[d,p]=v(""),[f,u]=v(null),g=U(),y=(c,m)=>{c.preventDefault(),g.run(async()=>{await m(),p(""),t()})};return s(N,{title:o.totp,children:[s("p",{children:n?o.totpOn:o.totpOff}),f&&s(xs,{codes:f}),s(D,{error:g.error,notice:g.notice}),!n&&!r&&s("button",{type:"button",disabled:g.busy,onClick:()=>{g.run(async()=>a((await b(Zt)).beginTotpEnrollment))},children:o.totpBegin}),!n&&r&&s("form",{onSubmit:c=>{c.preventDefault(),g.run(async()=>{let{confirmTotpEnrollment:m}=await b(Xt,{code:i});u(m),a(null),l(""),t()})},children:[s("p",{children:o.totpScan}),s("img",{class:"qr",alt:o.totpQr,src:`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qrSvg)}`}),s("p",{children:[o.totpKey,": ",s("code",{children:r.secret})]}),s(w,{label:o.code,name:"code",value:i,onValue:l,errors:g.fields,autocomplete:"one-time-code",required:!0}),s("button",{type:"submit",class:"primary",disabled:g.busy,children:o.totpConfirm})]}),n&&s("form",{onSubmit:c=>c.preventDefault(),children:[s(w,{label:o.currentPassword,name:"currentPassword",type:"password",value:d,onValue:p,errors:g.fields,autocomplete:"current-password",required:!0}),s("div",{class:"actions",children:[s("button",{type:"submit",disabled:g.busy,onClick:c=>y(c,async()=>u((await b(tn,{currentPassword:d})).regenerateRecoveryCodes)),children:o.recoveryCodesRegenerate}),s("button",{type:"submit",class:"danger",disabled:g.busy,onClick:c=>y(c,async()=>{await b(en,{currentPassword:d}),u(null)}),children:o.totpDisable})]})]})]})}function Cs({me:e,reload:t}){let[n,r]=v(""),a=U(),i=e.passkeys??[];return s(N,{title:o.passkeys,children:[s(Ae,{headers:[o.name,o.created,o.lastUsed],rows:i,cells:l=>[l.name,L(l.createdAt),L(l.lastUsedAt)],empty:o.noPasskeys,action:{label:o.remove,name:l=>l.name,disabled:a.busy,run:l=>{a.run(async()=>{await b(rn,{id:l.id}),t()})}}}),s("form",{onSubmit:l=>{l.preventDefault(),a.run(async()=>{let{beginPasskeyRegistration:d}=await b(nn),p=await Nn(d.options);return p?(await b(sn,{challengeId:d.challengeId,name:n,credential:p}),r(""),t(),o.passkeyAdded):o.passkeyCancelled})},children:[s(w,{label:o.passkeyName,name:"name",value:n,onValue:r,errors:a.fields,required:!0}),s(D,{error:a.error,notice:a.notice}),s("button",{type:"submit",disabled:a.busy,children:o.addPasskey})]})]})}function Us({me:e,reload:t}){let[n,r]=v(""),[a,i]=v([]),[l,d]=v([]),[p,f]=v(""),[u,g]=v(null),y=U(),c=e.apiKeys??[];return s(N,{title:o.apiKeys,children:[u&&s("div",{class:"secret",role:"status",children:[s("p",{children:o.keySecret}),s("code",{children:u})]}),s(D,{error:y.error,notice:y.notice}),s(Ae,{headers:[o.name,o.prefix,o.permissions,o.expires,o.lastUsed],rows:c,cells:m=>[m.name,s("code",{children:m.prefix}),[...m.permissions,...m.appPermissions].join(", ")||o.none,L(m.expiresAt),L(m.lastUsedAt)],empty:o.noApiKeys,action:{label:o.revoke,name:m=>m.name,disabled:y.busy,run:m=>{y.run(async()=>{await b(an,{id:m.id}),t()})}}}),s("form",{onSubmit:m=>{m.preventDefault(),y.run(async()=>{let{createApiKey:R}=await b(on,{input:{name:n.trim(),permissions:a,appPermissions:l,expiresAt:p?new Date(p).toISOString():null}});g(R.secret),r(""),i([]),d([]),f(""),t()})},children:[s(w,{label:o.keyName,name:"name",value:n,onValue:r,errors:y.fields,required:!0}),e.permissions.length>0&&s(X,{legend:o.permissions,name:"permissions",choices:Rt(e.permissions),chosen:a,onChosen:i,errors:y.fields}),e.appPermissions.length>0&&s(X,{legend:o.appPermissions,name:"appPermissions",choices:e.appPermissions.map(m=>[m,m]),chosen:l,onChosen:d,errors:y.fields}),s(w,{label:o.expiresAt,name:"expiresAt",type:"datetime-local",value:p,onValue:f,errors:y.fields}),s("button",{type:"submit",disabled:y.busy,children:o.createKey})]})]})}var Jn=25,Is=["USER_REGISTERED","LOGIN_SUCCEEDED","LOGIN_FAILED","ACCOUNT_LOCKED","LOGOUT","SESSION_REVOKED","REFRESH_TOKEN_REUSED","PASSWORD_CHANGED","PASSWORD_SET","PASSWORD_RESET_REQUESTED","PASSWORD_RESET","EMAIL_VERIFIED","EMAIL_CHANGED","USER_CREATED","USER_UPDATED","USER_DELETED","ROLE_CREATED","ROLE_UPDATED","ROLE_DELETED","MFA_ENABLED","MFA_DISABLED","PASSKEY_ADDED","PASSKEY_REMOVED","RECOVERY_CODES_REGENERATED","API_KEY_CREATED","API_KEY_REVOKED","SIGNING_KEY_ROTATED"];var Yn=e=>e?new Date(e).toISOString():null;function Ms(e){let t={actions:e.action?[e.action]:null,actorId:e.actor||null,subjectUserId:e.subject||null,since:Yn(e.since),until:Yn(e.until)};return{...e.before?{last:Jn,before:e.before}:{first:Jn,after:e.after||null},filter:t}}function zn(){let{query:e,path:t,route:n}=O(),[r,a]=v({actor:e.actor??"",subject:e.subject??"",since:e.since??"",until:e.until??""}),i=Ms(e),l=B(()=>b(ln,i),JSON.stringify(i)),d=u=>{let g=new URLSearchParams;for(let[c,m]of Object.entries({...e,after:void 0,before:void 0,...u}))m&&g.set(c,m);let y=g.toString();n(y?`${t}?${y}`:t)},p=u=>g=>a({...r,[u]:g}),f=l.data?.auditEvents;return s(A,{children:[s(I,{children:o.auditTitle}),s("form",{class:"filters",role:"search",onSubmit:u=>{u.preventDefault(),d({actor:r.actor.trim(),subject:r.subject.trim(),since:r.since,until:r.until})},children:[s(de,{label:o.action,value:e.action??"",onValue:u=>d({action:u}),options:[["",o.any],...Is.map(u=>[u,u])]}),s(w,{label:o.actorId,name:"actorId",value:r.actor,onValue:p("actor")}),s(w,{label:o.subjectUserId,name:"subjectUserId",value:r.subject,onValue:p("subject")}),s(w,{label:o.since,name:"since",type:"datetime-local",value:r.since,onValue:p("since")}),s(w,{label:o.until,name:"until",type:"datetime-local",value:r.until,onValue:p("until")}),s("button",{type:"submit",children:o.filter})]}),s(q,{loaded:l}),f&&s(A,{children:[s("p",{role:"status",class:"count",children:o.eventsCount(f.totalCount)}),f.nodes.length===0?s("p",{children:o.noEvents}):s("table",{class:"audit",children:[s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:o.at}),s("th",{scope:"col",children:o.action}),s("th",{scope:"col",children:o.actor}),s("th",{scope:"col",children:o.subject}),s("th",{scope:"col",children:o.ipAddress}),s("th",{scope:"col",children:o.details})]})}),s("tbody",{children:f.nodes.map(u=>s("tr",{children:[s("td",{children:L(u.at)}),s("td",{children:s("code",{children:u.action})}),s("td",{children:u.actor?s("a",{href:`/admin/users/${u.actor.id}`,children:u.actor.email??u.actor.displayName??u.actor.id}):u.actorId??o.anonymousActor}),s("td",{children:[u.subjectUserId&&s("a",{href:`/admin/users/${u.subjectUserId}`,children:u.subjectUserId}),u.subjectRoleId&&s("a",{href:`/admin/roles/${u.subjectRoleId}`,children:u.subjectRoleId})]}),s("td",{children:u.ipAddress??""}),s("td",{children:s("code",{class:"details",children:JSON.stringify(u.details)})})]},u.id))})]}),s("div",{class:"pager",children:[s("button",{type:"button",disabled:!f.pageInfo.hasPreviousPage,onClick:()=>d({before:f.pageInfo.startCursor??void 0}),children:o.previous}),s("button",{type:"button",disabled:!f.pageInfo.hasNextPage,onClick:()=>d({after:f.pageInfo.endCursor??void 0}),children:o.next})]})]})]})}function Ns(){let[e,t]=v(qe());return ne(()=>{let n=Tn(()=>t(qe()));return t(qe()),n},[]),e}function Ls({me:e}){let{path:t}=O(),n=[["/admin/users",o.navUsers,j("USER_READ")],["/admin/roles",o.navRoles,j("ROLE_READ")],["/admin/audit",o.navAudit,j("AUDIT_READ")],["/admin/account",o.navAccount,!0]];return s("header",{class:"top",children:[s("a",{class:"brand",href:"/admin",children:o.appName}),s("nav",{"aria-label":o.nav,children:s("ul",{children:n.filter(([,,r])=>r).map(([r,a])=>s("li",{children:s("a",{href:r,"aria-current":t.startsWith(r)?"page":void 0,children:a})},r))})}),s("span",{class:"who",children:o.signedInAs(e.email??e.username??e.id)}),s("button",{type:"button",onClick:()=>{xn()},children:o.signOut})]})}function Zn(){let{route:e}=O();return ne(()=>e(j("USER_READ")?"/admin/users":"/admin/account",!0),[]),null}function Os(){return s(A,{children:[s(I,{children:o.notFound}),s("p",{children:s("a",{href:"/admin",children:o.appName})})]})}function Vs(){let e=Ns();return e.status==="loading"?s("p",{role:"status",children:o.loading}):e.status==="signedOut"?s(On,{expired:e.reason==="expired"}):s(A,{children:[s("a",{class:"skip",href:"#main",children:o.skipToContent}),s(Ls,{me:e.me}),s("main",{id:"main",children:s(Ve,{children:[s(K,{path:"/admin",component:Zn}),s(K,{path:"/admin/",component:Zn}),s(K,{path:"/admin/users",component:$n}),s(K,{path:"/admin/users/new",component:Kn}),s(K,{path:"/admin/users/:id",component:Fn}),s(K,{path:"/admin/roles",component:Hn}),s(K,{path:"/admin/roles/new",component:Wn}),s(K,{path:"/admin/roles/:id",component:Qn}),s(K,{path:"/admin/account",component:Gn}),s(K,{path:"/admin/audit",component:zn}),s(K,{default:!0,component:Os})]})})]})}document.documentElement.lang=$e;var Xn=document.getElementById("app");Xn&&Nt(s(se,{scope:"/admin",children:s(Vs,{})}),Xn);Dn();
